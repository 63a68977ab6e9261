using SharpVision.Augmentation;
using SharpVision.Imaging;
using SharpVision.Tests.Support;

namespace SharpVision.Tests.Augmentation;

public class AugmentationPreviewTests
{
    private static RgbImage Gradient(int w, int h, int channels = 3)
    {
        var px = new byte[w * h * channels];
        for (var y = 0; y < h; y++)
        for (var x = 0; x < w; x++)
        for (var c = 0; c < channels; c++)
            px[(y * w + x) * channels + c] = (byte)((x * 12 + y * 5 + c * 70) % 256);
        return new RgbImage(w, h, channels, px);
    }

    [Fact]
    public void GridHasTheOriginalFirstAndWhiteGaps()
    {
        var source = Gradient(20, 16);
        var grid = AugmentationPreview.Render(source, AugmentationSpec.CaseStudy);
        // 10 tiles → 4 columns × 3 rows with 4-pixel gaps.
        Assert.Equal(4 * 20 + 3 * AugmentationPreview.Gap, grid.Width);
        Assert.Equal(3 * 16 + 2 * AugmentationPreview.Gap, grid.Height);
        Assert.Equal(3, grid.Channels);
        for (var y = 0; y < 16; y++)
            Assert.Equal(source.Pixels.AsSpan(y * 60, 60).ToArray(), grid.Pixels.AsSpan(grid.Offset(0, y), 60).ToArray());
        for (var y = 0; y < grid.Height; y++) Assert.Equal(255, grid.Pixels[grid.Offset(21, y)]);
        // The variants differ from the original.
        var second = grid.Pixels.AsSpan(grid.Offset(20 + AugmentationPreview.Gap, 5), 60).ToArray();
        Assert.NotEqual(source.Pixels.AsSpan(5 * 60, 60).ToArray(), second);
    }

    [Fact]
    public void SameSeedSameFigureAndPngSaves()
    {
        var source = Gradient(12, 12);
        var a = AugmentationPreview.Render(source, AugmentationSpec.Strong, variants: 3, seed: 4);
        var b = AugmentationPreview.Render(source, AugmentationSpec.Strong, variants: 3, seed: 4);
        var c = AugmentationPreview.Render(source, AugmentationSpec.Strong, variants: 3, seed: 5);
        Assert.Equal(2 * 12 + AugmentationPreview.Gap, a.Width);
        Assert.Equal(a.Pixels, b.Pixels);
        Assert.NotEqual(a.Pixels, c.Pixels);
        using var dir = new TempDirectory();
        PngEncoder.Save(a, dir.File("preview.png"));
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, File.ReadAllBytes(dir.File("preview.png")).Take(4).ToArray());
    }

    [Fact]
    public void AlphaIsDroppedAndGreyStaysGrey()
    {
        Assert.Equal(3, AugmentationPreview.Render(Gradient(8, 8, 4), AugmentationSpec.Light, variants: 2).Channels);
        Assert.Equal(1, AugmentationPreview.Render(Gradient(8, 8, 1), AugmentationSpec.Light, variants: 2).Channels);
        Assert.Throws<ArgumentOutOfRangeException>(() => AugmentationPreview.Render(Gradient(8, 8), AugmentationSpec.Light, variants: 0));
    }
}
