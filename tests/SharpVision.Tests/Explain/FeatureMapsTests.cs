using SharpVision.Engine;
using SharpVision.Explain;
using SharpVision.Imaging;

namespace SharpVision.Tests.Explain;

public class FeatureMapsTests
{
    /// <summary>Counts runs of non-background pixels along a row (tiles are viridis, the background is white).</summary>
    private static int Runs(RgbImage image, int y, bool vertical = false, int at = 0)
    {
        var runs = 0;
        var inside = false;
        var length = vertical ? image.Height : image.Width;
        for (var i = 0; i < length; i++)
        {
            var o = vertical ? image.Offset(at, i) : image.Offset(i, y);
            var background = image.Pixels[o] > 240 && image.Pixels[o + 1] > 240 && image.Pixels[o + 2] > 240;
            if (!background && !inside) runs++;
            inside = !background;
        }
        return runs;
    }

    [Fact]
    public void CapturesExactlyTheLayerOutput()
    {
        using var model = ExplainModels.Zoo("cafe-cnn", 64);
        var catalog = LayerCatalog.Create(model, 3, 64, 64);
        using var generator = new Generator(1);
        using var x = Tensor.Rand(new long[] { 1, 3, 64, 64 }, generator);

        var maps = FeatureMaps.Capture(model, x, catalog.ForRole("first"));

        Assert.Equal((32, 58, 58), (maps.Channels, maps.Height, maps.Width));
        using (Torch.NoGrad())
        {
            using var expected = model["0"].Call(x);
            Assert.Equal(expected.ToArray<float>(), maps.Values);
        }
        Assert.Equal(32, maps.ChannelMeans().Length);
    }

    [Theory]
    [InlineData(64, 32, 6, 6)]  // all 32 channels: 6 columns × 6 rows
    [InlineData(16, 16, 4, 4)]  // capped
    public void GridHasOneTilePerChannelUpToTheCap(int cap, int tiles, int columns, int rows)
    {
        using var model = ExplainModels.Zoo("cafe-cnn", 64);
        var catalog = LayerCatalog.Create(model, 3, 64, 64);
        using var generator = new Generator(2);
        using var x = Tensor.Rand(new long[] { 1, 3, 64, 64 }, generator);
        var maps = FeatureMaps.Capture(model, x, catalog.ForRole("first"));

        Assert.Equal(tiles, maps.TilesShown(cap));
        var image = maps.Render(cap, tileSize: 58);
        // Each tile is 58 px (scale 1) at 10 px padding with 4 px gaps; a label row of text sits under each tile.
        Assert.Equal(columns, Runs(image, y: 10 + 29));
        Assert.Equal(2 * 10 + columns * 58 + (columns - 1) * 4, image.Width);
        // Down the left edge of the first column (the centred channel labels do not reach it): one run per tile row.
        Assert.Equal(rows, Runs(image, 0, vertical: true, at: 10 + 2));
    }

    [Fact]
    public void NonFeatureMapLayerIsRejected()
    {
        using var model = ExplainModels.Zoo("cafe-cnn", 64);
        var catalog = LayerCatalog.Create(model, 3, 64, 64);
        using var x = Tensor.Zeros(new long[] { 1, 3, 64, 64 });
        var dense = catalog.Resolve("9"); // Linear (not in the feature-map list, resolved as a module path)
        var e = Assert.Throws<ArgumentException>(() => FeatureMaps.Capture(model, x, dense));
        Assert.Contains("not feature maps", e.Message);
    }
}
