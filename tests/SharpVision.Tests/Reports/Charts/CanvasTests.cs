using SharpVision.Reports.Charts;
using static SharpVision.Tests.Reports.ImageAssert;

namespace SharpVision.Tests.Reports.Charts;

public class CanvasTests
{
    [Fact]
    public void FillRectAndAlphaBlending()
    {
        var c = new Canvas(20, 10, Color.White);
        c.FillRect(2, 2, 4, 4, Color.Black);
        c.FillRect(10, 2, 4, 4, Color.Black, alpha: 0.5);
        Assert.Equal(Color.Black, c.GetPixel(3, 3));
        Assert.Equal(Color.White, c.GetPixel(6, 3)); // right edge exclusive
        var half = c.GetPixel(11, 3);
        Assert.InRange(half.R, 126, 129);
        c.FillRect(-5, -5, 100, 1, Color.Black); // clipped, no throw
    }

    [Fact]
    public void AntiAliasedLineCoversItsPathOnly()
    {
        var c = new Canvas(40, 40);
        c.DrawLine(5, 20, 35, 20, Color.Black, thickness: 2);
        Assert.Equal(Color.Black, c.GetPixel(20, 20));
        Assert.Equal(Color.White, c.GetPixel(20, 25));
        var edge = c.GetPixel(20, 21); // one pixel from the centre of a 2 px line: half covered
        Assert.InRange(edge.R, 1, 254);
        var dashed = new Canvas(100, 5);
        dashed.DrawLine(0, 2, 99, 2, Color.Black, 1, dash: 5);
        var img = dashed.ToImage();
        var inked = Enumerable.Range(0, 100).Count(x => Pixel(img, x, 2).R < 128);
        Assert.InRange(inked, 40, 65); // about half the length is dash
    }

    [Fact]
    public void TextIsDrawnAndMeasured()
    {
        var c = new Canvas(200, 40);
        var w = c.DrawText("Accuracy 0.95", 10, 10, Color.Black);
        Assert.Equal(BitmapFont.Regular.Measure("Accuracy 0.95"), w);
        Assert.InRange(w, 60, 110);
        var img = c.ToImage();
        var (minX, maxX, minY, maxY) = InkBox(img);
        Assert.InRange(minX, 10, 12);
        Assert.InRange(maxX, 10 + w - 4, 10 + w);
        Assert.InRange(maxY - minY, 8, BitmapFont.Regular.LineHeight);

        var scaled = new Canvas(400, 60);
        Assert.Equal(2 * w, scaled.DrawText("Accuracy 0.95", 0, 0, Color.Black, scale: 2));
        Assert.Equal(BitmapFont.Regular.Measure("?"), BitmapFont.Regular.Measure("漢")); // outside the font's table draws as '?'
    }

    [Fact]
    public void VerticalTextIsTallAndNarrow()
    {
        var c = new Canvas(60, 200);
        c.DrawTextVertical("validation loss", 30, 100, Color.Black);
        var (minX, maxX, minY, maxY) = InkBox(c.ToImage());
        Assert.True(maxY - minY > 3 * (maxX - minX), $"box {maxX - minX}×{maxY - minY}");
        Assert.InRange((minY + maxY) / 2, 95, 105); // centred on y
    }

    [Fact]
    public void FitShortensWithEllipsis()
    {
        var f = BitmapFont.Regular;
        Assert.Equal("short", f.Fit("short", 100));
        var fitted = f.Fit("a rather long class name indeed", 80);
        Assert.EndsWith("...", fitted);
        Assert.True(f.Measure(fitted) <= 80);
    }

    [Fact]
    public void PngOfCanvasDecodes()
    {
        var c = new Canvas(33, 17, Color.FromHex("#123456"));
        c.DrawCircle(16, 8, 6, Color.White, 2);
        var decoded = PngTestReader.Decode(c.ToPng());
        Assert.Equal((33, 17), (decoded.Width, decoded.Height));
        Assert.Equal(c.ToImage().Pixels, decoded.Pixels);
    }

    private static (int MinX, int MaxX, int MinY, int MaxY) InkBox(SharpVision.Imaging.RgbImage img)
    {
        int minX = int.MaxValue, maxX = -1, minY = int.MaxValue, maxY = -1;
        for (var y = 0; y < img.Height; y++)
            for (var x = 0; x < img.Width; x++)
                if (Pixel(img, x, y).R < 200)
                {
                    minX = Math.Min(minX, x); maxX = Math.Max(maxX, x);
                    minY = Math.Min(minY, y); maxY = Math.Max(maxY, y);
                }
        Assert.True(maxX >= 0, "nothing was drawn");
        return (minX, maxX, minY, maxY);
    }
}
