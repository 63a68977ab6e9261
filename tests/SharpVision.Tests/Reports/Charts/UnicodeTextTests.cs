using SharpVision.Evaluation;
using SharpVision.Imaging;
using SharpVision.Reports.Charts;

namespace SharpVision.Tests.Reports.Charts;

public class UnicodeTextTests
{
    private static byte[] Text(string s, BitmapFont font)
    {
        var c = new Canvas(200, 24, Color.White);
        c.DrawText(s, 2, 2, Color.Black, font);
        return c.ToImage().Pixels;
    }

    [Theory]
    [InlineData("Túrós rétes")]
    [InlineData("Dobos torta – 1 200 Ft")]
    [InlineData("Pörkölt, Gulyás, Lángos, Kürtőskalács")]
    [InlineData("Żurek, Pierogi, Łosoś")]
    public void LatinClassNamesRenderWithTheirOwnGlyphs(string name)
    {
        foreach (var font in new[] { BitmapFont.Regular, BitmapFont.Bold, BitmapFont.Title })
        {
            Assert.All(name, ch => Assert.True(font.Covers(ch), $"'{ch}' (U+{(int)ch:X4}) has no glyph"));
            var fallback = new string(name.Select(ch => ch < 128 ? ch : '?').ToArray());
            Assert.NotEqual(Text(fallback, font), Text(name, font)); // not the '?' fallback
        }
        // ó and o differ, ő and ö differ.
        Assert.NotEqual(Text("o", BitmapFont.Regular), Text("ó", BitmapFont.Regular));
        Assert.NotEqual(Text("ö", BitmapFont.Regular), Text("ő", BitmapFont.Regular));
        Assert.False(BitmapFont.Regular.Covers('漢')); // outside the table: drawn as '?'
        Assert.Equal(Text("?", BitmapFont.Regular), Text("漢", BitmapFont.Regular));
    }

    [Fact]
    public void AConfusionMatrixWithHungarianClassNamesShowsThem()
    {
        ConfusionMatrix Matrix(string[] names) => new() { ClassNames = names, Counts = [[3, 1], [0, 4]], Normalized = [[0.75, 0.25], [0, 1]] };
        var real = ConfusionMatrixChart.Render(Matrix(["Túrós rétes", "Dobos torta"]));
        var ascii = ConfusionMatrixChart.Render(Matrix(["T?r?s r?tes", "Dobos torta"]));
        Assert.Equal((ascii.Width, ascii.Height), (real.Width, real.Height));
        Assert.NotEqual(ascii.Pixels, real.Pixels);
    }
}
