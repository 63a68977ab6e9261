using SharpVision.Imaging;
using static SharpVision.Tests.Imaging.ImageFixtures;

namespace SharpVision.Tests.Imaging;

public class ImageResizerTests
{
    [Fact]
    public void SolidColour_StaysSolid()
    {
        var r = ImageResizer.Resize(Solid(37, 23, 10, 200, 77), 64, 9);
        Assert.Equal((64, 9), (r.Width, r.Height));
        for (var i = 0; i < 64 * 9; i++) Assert.Equal((10, 200, 77), (r.Pixels[i * 3], r.Pixels[i * 3 + 1], r.Pixels[i * 3 + 2]));
    }

    [Fact]
    public void Downscaling_Antialiases()
    {
        // A 1-pixel checkerboard halved must become mid grey, not an aliased pattern of black and white.
        var img = new RgbImage(16, 16, 1);
        for (var y = 0; y < 16; y++) for (var x = 0; x < 16; x++) img.Pixels[y * 16 + x] = (byte)((x + y) % 2 == 0 ? 255 : 0);
        var r = ImageResizer.Resize(img, 8, 8);
        Assert.All(r.Pixels.Skip(9).Take(6), v => Assert.InRange(v, 100, 155));
    }

    [Fact]
    public void Upscaling_Interpolates()
    {
        var img = new RgbImage(2, 1, 1, new byte[] { 0, 200 });
        var r = ImageResizer.Resize(img, 4, 1);
        Assert.Equal(new byte[] { 0, 50, 150, 200 }, r.Pixels);
    }

    [Fact]
    public void BoxSelectsTheSourceRegion()
    {
        var img = RedLeftBlueRight(20, 10);
        var right = ImageResizer.Resize(img, (10, 0, 10, 10), 10, 10);
        Assert.All(Enumerable.Range(0, 100), i => Assert.Equal((0, 255), (right.Pixels[i * 3], right.Pixels[i * 3 + 2])));
        Assert.Throws<ArgumentException>(() => ImageResizer.Resize(img, (15, 0, 10, 10), 5, 5));
    }
}
