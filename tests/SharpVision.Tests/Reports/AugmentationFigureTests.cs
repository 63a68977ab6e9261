using SharpVision.Augmentation;
using SharpVision.Imaging;
using SharpVision.Reports;

namespace SharpVision.Tests.Reports;

public class AugmentationFigureTests
{
    private static RgbImage Gradient(int w, int h)
    {
        var px = new byte[w * h * 3];
        for (var i = 0; i < px.Length; i++) px[i] = (byte)(i * 7 % 256);
        return new RgbImage(w, h, 3, px);
    }

    [Fact]
    public void EachTransformAloneIsCaptionedAndTheRowsAreFull()
    {
        var spec = AugmentationSpec.Parse("flip=h,rotate=30,brightness=0.75:1.25");
        var tiles = AugmentationFigure.Tiles(Gradient(32, 32), spec, seed: 3);
        Assert.Equal("original", tiles[0].Caption);
        Assert.Equal(new[] { "flip=h", "rotate=30", "brightness=0.75:1.25" }, tiles.Skip(1).Take(3).Select(t => t.Caption));
        Assert.All(tiles.Skip(4), t => Assert.StartsWith("all #", t.Caption));
        Assert.Equal(0, tiles.Count % AugmentationFigure.Columns); // no empty cells
        Assert.True(tiles.Count >= 10);
        // The flip tile is the original mirrored.
        var flipped = tiles[1].Image;
        Assert.Equal(tiles[0].Image.Pixels.AsSpan(0, 3).ToArray(), flipped.Pixels.AsSpan(31 * 3, 3).ToArray());
    }

    [Fact]
    public void SmallImagesAreShownAtLeast128PixelsWide()
    {
        var figure = AugmentationFigure.Render(Gradient(28, 28), AugmentationSpec.Parse("rotate=15"));
        // 5 columns of ≥128 px tiles; a single transform gives 10 variants of it in two full rows.
        Assert.True(figure.Width >= AugmentationFigure.Columns * AugmentationFigure.MinTile, $"{figure.Width}");
        Assert.True(figure.Height >= 2 * AugmentationFigure.MinTile);
        var tiles = AugmentationFigure.Tiles(Gradient(28, 28), AugmentationSpec.Parse("rotate=15"));
        Assert.Equal(10, tiles.Count);
        Assert.Equal("rotate=15 #1", tiles[1].Caption);
    }
}
