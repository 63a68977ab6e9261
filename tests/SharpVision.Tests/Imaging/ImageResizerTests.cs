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

    [Theory]
    [InlineData(64, 64, 3, 128, 128)]
    [InlineData(64, 64, 3, 32, 48)]
    [InlineData(37, 23, 3, 64, 9)]
    [InlineData(50, 41, 4, 17, 100)]
    [InlineData(9, 300, 3, 224, 224)]
    [InlineData(31, 17, 1, 64, 64)]
    public void SimdPath_IsBitIdenticalToTheScalarReference(int w, int h, int c, int outW, int outH)
    {
        var random = new Random(w * 1000 + h);
        var img = new RgbImage(w, h, c);
        random.NextBytes(img.Pixels);
        var box = (1.5, 0.25, w - 2.0, h - 0.75);
        RgbImage simd, simdBox, scalar, scalarBox;
        lock (ResizerModeLock)
        {
            simd = ImageResizer.Resize(img, outW, outH);
            simdBox = ImageResizer.Resize(img, box, outW, outH);
            ImageResizer.UseSimd = false;
            try
            {
                scalar = ImageResizer.Resize(img, outW, outH);
                scalarBox = ImageResizer.Resize(img, box, outW, outH);
            }
            finally
            {
                ImageResizer.UseSimd = true;
            }
        }
        Assert.Equal(scalar.Pixels, simd.Pixels);
        Assert.Equal(scalarBox.Pixels, simdBox.Pixels);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    [InlineData(37)]
    [InlineData(128 * 128)]
    public void DeinterleaveRgb_SplitsChannelsIntoPlanes(int pixels)
    {
        var rgb = new byte[pixels * 3];
        new Random(pixels).NextBytes(rgb);
        var planes = new byte[pixels * 3];
        ImagePlanes.DeinterleaveRgb(rgb, planes.AsSpan(0, pixels), planes.AsSpan(pixels, pixels), planes.AsSpan(2 * pixels, pixels));
        for (var i = 0; i < pixels; i++)
            Assert.Equal((rgb[i * 3], rgb[i * 3 + 1], rgb[i * 3 + 2]), (planes[i], planes[pixels + i], planes[2 * pixels + i]));
        Assert.Throws<ArgumentException>(() => ImagePlanes.DeinterleaveRgb(rgb, new byte[pixels], new byte[pixels], new byte[pixels + 1]));
    }

    private static readonly object ResizerModeLock = new();
}
