using SharpVision.Imaging;
using SharpVision.Reports.Charts;
using static SharpVision.Tests.Reports.ImageAssert;

namespace SharpVision.Tests.Reports.Charts;

public class ExplainFiguresTests
{
    [Fact]
    public void FeatureMapTilesAreNormalisedPerChannel()
    {
        // 2 channels of 2×2: channel 0 rises left→right, top→bottom; channel 1 is the reverse at another scale.
        float[] values = [0, 1, 2, 3, 30, 20, 10, 0];
        var img = FeatureMapGrid.Render(values, channels: 2, height: 2, width: 2, tileSize: 8);
        RoundTripPng(img);
        // Layout: 10 px margin, tiles 8 px (scale 4), 4 px apart.
        Assert.Equal(Colormap.Viridis.Map(0), Pixel(img, 11, 11));
        Assert.Equal(Colormap.Viridis.Map(1), Pixel(img, 16, 16));
        Assert.Equal(Colormap.Viridis.Map(1), Pixel(img, 10 + 8 + 4 + 1, 11));
        Assert.Equal(Colormap.Viridis.Map(0), Pixel(img, 10 + 8 + 4 + 6, 16));
        Assert.Contains("needs 8 values", Assert.Throws<ArgumentException>(() => FeatureMapGrid.Render(values[..7], 2, 2, 2)).Message);
    }

    [Fact]
    public void FeatureMapGridLimitsChannels()
    {
        var values = new float[100 * 4 * 4];
        for (var i = 0; i < values.Length; i++) values[i] = i % 7;
        var all = FeatureMapGrid.Render(values, 100, 4, 4, tileSize: 16, maxChannels: 100);
        var some = FeatureMapGrid.Render(values, 100, 4, 4, tileSize: 16, maxChannels: 16);
        Assert.True(all.Width > some.Width && all.Height > some.Height);
    }

    [Fact]
    public void HeatmapOverlayUpsamplesAndBlends()
    {
        var gray = new RgbImage(40, 30, 3, Enumerable.Repeat((byte)128, 40 * 30 * 3).ToArray());
        var heat = new float[,] { { 5, 0 }, { 0, 0 } };
        var full = HeatmapOverlay.Render(gray, heat, alpha: 1);
        RoundTripPng(full);
        Assert.Equal((40, 30), (full.Width, full.Height));
        Assert.Equal(Colormap.Jet.Map(1), Pixel(full, 0, 0));     // hottest corner
        Assert.Equal(Colormap.Jet.Map(0), Pixel(full, 39, 29));   // coldest corner
        var mid = Pixel(full, 20, 15);                              // bilinear: in between
        Assert.NotEqual(Colormap.Jet.Map(0), mid);
        Assert.NotEqual(Colormap.Jet.Map(1), mid);

        var none = HeatmapOverlay.Render(gray, heat, alpha: 0);
        Assert.Equal(gray.Pixels, none.Pixels);
        var half = HeatmapOverlay.Render(gray, heat, alpha: 0.5);
        var c = Colormap.Jet.Map(1);
        Assert.Equal(new Color((byte)Math.Round(64 + c.R / 2.0), (byte)Math.Round(64 + c.G / 2.0), (byte)Math.Round(64 + c.B / 2.0)), Pixel(half, 0, 0));

        var grayscale = new RgbImage(10, 10, 1, new byte[100]);
        Assert.Equal(3, HeatmapOverlay.Render(grayscale, heat).Channels);
        Assert.Throws<ArgumentOutOfRangeException>(() => HeatmapOverlay.Render(gray, heat, alpha: 2));
    }

    [Fact]
    public void ColormapsRunFromDarkToBright()
    {
        Assert.True(Colormap.Viridis.Map(0).Luminance < Colormap.Viridis.Map(1).Luminance);
        Assert.True(Colormap.Blues.Map(0).Luminance > Colormap.Blues.Map(1).Luminance);
        Assert.Equal(Colormap.Viridis.Map(0), Colormap.Viridis.Map(-3));
        Assert.Equal(Color.FromHex("#fde725"), Colormap.Viridis.Map(1));
        Assert.Throws<FormatException>(() => Color.FromHex("#12"));
    }
}
