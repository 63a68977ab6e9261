using SharpVision.Evaluation;
using SharpVision.Imaging;
using SharpVision.Reports.Charts;
using static SharpVision.Tests.Reports.ImageAssert;

namespace SharpVision.Tests.Reports.Charts;

public class ChartRenderingTests
{
    private static readonly IReadOnlyDictionary<string, IReadOnlyList<double>> History = new Dictionary<string, IReadOnlyList<double>>
    {
        ["loss"] = [1.2, 0.8, 0.6, 0.5, 0.45],
        ["val_loss"] = [1.3, 0.9, 0.75, 0.72, 0.74],
        ["accuracy"] = [0.5, 0.7, 0.8, 0.85, 0.88],
        ["val_accuracy"] = [0.45, 0.65, 0.72, 0.74, 0.74],
    };

    [Fact]
    public void LearningCurvesHaveOnePanelPerMetricWithBothCurves()
    {
        var img = LearningCurves.Render(History, panelWidth: 400, height: 300);
        RoundTripPng(img);
        Assert.Equal((800, 300), (img.Width, img.Height));
        // Training is palette colour 0 and validation colour 1, in both panels.
        foreach (var (x0, x1) in new[] { (0, 400), (400, 800) })
        {
            var panel = Crop(img, x0, 0, x1 - x0, 300);
            Assert.True(Count(panel, Color.Series(0), 10) > 50, "training curve missing");
            Assert.True(Count(panel, Color.Series(1), 10) > 30, "validation curve missing");
        }
        var extra = new Dictionary<string, IReadOnlyList<double>>(History) { ["lr"] = [0.1, 0.1, 0.01, 0.01, 0.001] };
        Assert.Equal(3 * 520, LearningCurves.Render(extra).Width);
        Assert.Throws<ArgumentException>(() => LearningCurves.Render(new Dictionary<string, IReadOnlyList<double>> { ["loss"] = [] }));
    }

    [Fact]
    public void LineChartRequiresSeriesAndMatchingLengths()
    {
        Assert.Throws<ArgumentException>(() => LineChart.Render([]));
        Assert.Throws<ArgumentException>(() => new LineSeries("s", [1, 2], [1]));
        var img = LineChart.Render([new LineSeries("only NaN", [double.NaN, double.NaN])], new ChartOptions { Width = 300, Height = 200 });
        Assert.Equal((300, 200), (img.Width, img.Height));
    }

    [Fact]
    public void BarHeightsFollowValues()
    {
        var red = Color.FromHex("#cc0000");
        var green = Color.FromHex("#00aa00");
        var img = BarChart.Render(["low", "high"], [0.25, 0.75], new ChartOptions { Width = 400, Height = 300, YMin = 0, YMax = 1 }, colors: [red, green]);
        RoundTripPng(img);
        var low = Count(img, red);
        var high = Count(img, green);
        Assert.True(low > 100);
        Assert.InRange((double)high / low, 2.6, 3.4); // same width, three times the height
    }

    [Fact]
    public void ConfusionMatrixCellColoursFollowCounts()
    {
        var counts = new[] { new[] { 8, 2, 0 }, new[] { 1, 5, 4 }, new[] { 0, 0, 10 } };
        var matrix = new ConfusionMatrix
        {
            ClassNames = ["alpha", "beta", "gamma"],
            Counts = counts,
            Normalized = counts.Select(r => r.Select(v => v / (double)r.Sum()).ToArray()).ToArray(),
        };
        var (img, (left, top, cell)) = Heatmap.RenderWithLayout(matrix.ClassNames, matrix.ClassNames, matrix.Normalized,
            counts.Select(r => r.Select(v => v.ToString()).ToArray()).ToArray(), "Confusion matrix", "predicted", "actual", Colormap.Blues, 0, 1);
        RoundTripPng(img);
        // Sample each cell near its corner (away from the count text): darker means a larger share.
        var luminance = new double[3, 3];
        for (var r = 0; r < 3; r++)
            for (var c = 0; c < 3; c++)
            {
                var p = Pixel(img, left + c * cell + 3, top + r * cell + 3);
                Assert.Equal(Colormap.Blues.Map(matrix.Normalized[r][c]), p);
                luminance[r, c] = p.Luminance;
            }
        var cells = Enumerable.Range(0, 9).Select(i => (Share: matrix.Normalized[i / 3][i % 3], Lum: luminance[i / 3, i % 3])).ToList();
        foreach (var a in cells)
            foreach (var b in cells.Where(b => b.Share > a.Share + 1e-9))
                Assert.True(b.Lum < a.Lum, $"share {b.Share} should be darker than {a.Share}");
        // The rendered figure is the same through the public entry point.
        Assert.Equal(img.Pixels, ConfusionMatrixChart.Render(matrix).Pixels);
    }

    [Fact]
    public void HeatmapScalesWithManyClasses()
    {
        var names = Enumerable.Range(0, 40).Select(i => $"class number {i}").ToArray();
        var values = names.Select((_, r) => names.Select((_, c) => r == c ? 1.0 : 0.0).ToArray()).ToArray();
        var img = Heatmap.Render(names, names, values, title: "big");
        Assert.InRange(img.Width, 400, 1200);
        Assert.InRange(img.Height, 400, 1200);
    }

    [Fact]
    public void HistogramShowsBothDistributions()
    {
        var img = Histogram.Render(
            [new HistogramSeries("correct", [0.9, 0.95, 0.85, 0.99], Color.Correct), new HistogramSeries("wrong", [0.3, 0.4, 0.55], Color.Wrong)],
            10, 0, 1, new ChartOptions { Width = 500, Height = 320 });
        RoundTripPng(img);
        Assert.Equal((500, 320), (img.Width, img.Height));
        Assert.True(Count(img, Color.Correct, 40) > 200);
        Assert.True(Count(img, Color.Wrong, 40) > 100);
        Assert.Throws<ArgumentException>(() => Histogram.Render([new HistogramSeries("x", [1])], 10, 1, 1));
    }

    [Fact]
    public void ReliabilityDiagramDrawsBarsAndGap()
    {
        var cal = ClassificationMetrics.Calibration([0, 0, 0, 0, 1, 1], [0, 0, 1, 1, 1, 0], [0.9, 0.95, 0.85, 0.7, 0.6, 0.99], bins: 10);
        var img = ReliabilityDiagram.Render(cal);
        RoundTripPng(img);
        Assert.Equal((520, 480), (img.Width, img.Height));
        Assert.True(DistinctColors(img) > 20);
        Assert.True(Count(img, Color.Wrong, 30) > 50, "gap hatching missing");
    }

    [Fact]
    public void GalleryFramesShowRightAndWrong()
    {
        var photo = new RgbImage(30, 20, 3, Enumerable.Range(0, 30 * 20 * 3).Select(i => (byte)(i % 251)).ToArray());
        var items = new[]
        {
            new GalleryItem(photo, ["cat", "pred: cat"], Color.Correct),
            new GalleryItem(null, ["dog", "pred: cat"], Color.Wrong),
            new GalleryItem(photo, ["cat", "pred: dog"], Color.Wrong),
        };
        var img = ImageGallery.Render(items, columns: 2, thumbSize: 64, title: "Gallery");
        RoundTripPng(img);
        Assert.True(Count(img, Color.Correct) > 4 * 64 * 3, "green frame");
        Assert.True(Count(img, Color.Wrong) > 2 * 4 * 64 * 3, "two red frames");
        var wide = ImageGallery.Render(items, columns: 3, thumbSize: 64);
        Assert.True(wide.Width > img.Width && wide.Height < img.Height);
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageGallery.Render(items, columns: 0));
    }

    private static RgbImage Crop(RgbImage img, int x0, int y0, int w, int h)
    {
        var px = new byte[w * h * 3];
        for (var y = 0; y < h; y++)
            Array.Copy(img.Pixels, img.Offset(x0, y0 + y), px, y * w * 3, w * 3);
        return new RgbImage(w, h, 3, px);
    }
}
