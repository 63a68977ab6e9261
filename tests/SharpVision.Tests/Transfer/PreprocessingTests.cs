using SharpVision.Data;
using SharpVision.Imaging;

namespace SharpVision.Tests.Transfer;

public class PreprocessingTests
{
    private static RgbImage Gradient(int w, int h)
    {
        var pixels = new byte[w * h * 3];
        for (var y = 0; y < h; y++)
            for (var x = 0; x < w; x++)
            {
                pixels[(y * w + x) * 3] = (byte)(x % 256);
                pixels[(y * w + x) * 3 + 1] = (byte)(y % 256);
                pixels[(y * w + x) * 3 + 2] = 128;
            }
        return new RgbImage(w, h, 3, pixels);
    }

    [Fact]
    public void ResizeThenCenterCropCutsTheCentreOfTheResizedImage()
    {
        // A 256×256 image needs no resize: the result is exactly its centre 224×224.
        var image = Gradient(256, 256);
        var crop = ImagePreprocessor.ResizeThenCenterCrop(256, 224).Process(image);
        Assert.Equal((224, 224), (crop.Width, crop.Height));
        for (var y = 0; y < 224; y += 37)
            for (var x = 0; x < 224; x += 41)
            {
                Assert.Equal(image.Pixels[((y + 16) * 256 + x + 16) * 3], crop.Pixels[(y * 224 + x) * 3]);
                Assert.Equal(image.Pixels[((y + 16) * 256 + x + 16) * 3 + 1], crop.Pixels[(y * 224 + x) * 3 + 1]);
            }
        // A wide 512×256 image: shorter side to 256 (no change), centre crop 224: columns 144..367.
        var wide = ImagePreprocessor.ResizeThenCenterCrop(256, 224).Process(Gradient(512, 256));
        Assert.Equal(144, wide.Pixels[0]);
        Assert.Equal(16, wide.Pixels[1]);
    }

    [Fact]
    public void SmallPhotosAreUpsampledToTheBackboneResolution()
    {
        var small = Gradient(64, 64);
        var up = new ImagePreprocessor(160, 160).Process(small);
        Assert.Equal((160, 160, 3), (up.Width, up.Height, up.Channels));
        Assert.InRange(up.Pixels[(80 * 160 + 80) * 3], 28, 36); // x ≈ 80 × 64/160 = 32
        Assert.Throws<ArgumentOutOfRangeException>(() => new ImagePreprocessor(10, 10, ResizeMode.CenterCrop, cropFraction: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ImagePreprocessor.ResizeThenCenterCrop(200, 224));
    }
}
