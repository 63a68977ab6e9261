using System.Globalization;
using SharpVision.Imaging;
using SharpVision.Reports;
using SharpVision.Reports.Charts;

namespace SharpVision.Evaluation;

/// <summary>Renders the figures of an evaluation (each usable on its own, e.g. by the CLI).</summary>
public static class EvaluationFigures
{
    /// <summary>Per-class accuracy bars; the weakest class is drawn in red.</summary>
    public static RgbImage PerClassAccuracy(EvaluationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var width = Math.Clamp(200 + result.Classes.Length * 70, 520, 1400);
        return BarChart.Render(
            result.Classes.Select(c => c.Name).ToList(),
            result.Classes.Select(c => c.Accuracy).ToList(),
            new ChartOptions { Width = width, Height = 400, Title = "Per-class accuracy (recall)", YLabel = "accuracy", YMin = 0, YMax = 1 },
            "0.00",
            result.Classes.Select(c => c.Accuracy == result.Classes.Min(x => x.Accuracy) && result.Classes.Length > 1 ? Color.Wrong : Color.Series(0)).ToList());
    }

    /// <summary>Histogram of the confidence of correct and of wrong predictions.</summary>
    public static RgbImage ConfidenceHistogram(EvaluationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var correct = new List<double>();
        var wrong = new List<double>();
        for (var i = 0; i < result.Count; i++)
            (result.Labels[i] == result.Predicted[i] ? correct : wrong).Add(result.Confidences[i]);
        return Histogram.Render(
            [new HistogramSeries("correct", correct, Color.Correct), new HistogramSeries("wrong", wrong, Color.Wrong)],
            20, 0, 1,
            new ChartOptions { Width = 620, Height = 380, Title = "Confidence of correct vs wrong predictions", XLabel = "confidence (top-class probability)", YLabel = "items" });
    }

    /// <summary>Thumbnails of the given items with true/predicted labels and confidence; green frame = right, red = wrong.</summary>
    public static RgbImage Gallery(EvaluationResult result, IReadOnlyList<int> indices, Func<int, RgbImage?> loadImage, string title, int thumbSize = 96, int columns = 6)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(indices);
        ArgumentNullException.ThrowIfNull(loadImage);
        var items = indices.Select(i =>
        {
            var ok = result.Labels[i] == result.Predicted[i];
            var caption = new List<string>
            {
                result.ClassNames[result.Labels[i]],
                "pred: " + result.ClassNames[result.Predicted[i]],
                string.Create(CultureInfo.InvariantCulture, $"p={result.Confidences[i]:0.00}  #{i}"),
            };
            var colors = new List<Color> { Color.Ink, ok ? Color.Correct : Color.Wrong, Color.Gray };
            return new GalleryItem(TryLoad(loadImage, i), caption, ok ? Color.Correct : Color.Wrong, colors);
        }).ToList();
        return ImageGallery.Render(items, columns, thumbSize, title);
    }

    /// <summary>Histogram of the per-item spread of the predicted class's probability across TTA passes.</summary>
    public static RgbImage TtaSpread(TtaResult tta)
    {
        ArgumentNullException.ThrowIfNull(tta);
        var max = Math.Max(0.05, Math.Ceiling(tta.ConfidenceStd.DefaultIfEmpty(0).Max() * 20) / 20);
        return Histogram.Render(
            [new HistogramSeries("items", tta.ConfidenceStd, Color.Series(4))],
            20, 0, max,
            new ChartOptions { Width = 620, Height = 360, Title = $"Confidence spread over {tta.Summary.Passes} augmented passes", XLabel = "std of predicted-class probability", YLabel = "items" });
    }

    /// <summary>Loads a gallery picture; a missing or broken one gives null (the tile says "no image").</summary>
    internal static RgbImage? TryLoad(Func<int, RgbImage?> load, int index)
    {
        try
        {
            return load(index);
        }
        catch (Exception e) when (e is IOException or InvalidImageException or UnauthorizedAccessException or ArgumentException)
        {
            return null; // a missing picture must not sink the whole report; the tile says "no image"
        }
    }
}
