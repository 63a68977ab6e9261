using SharpVision.Imaging;

namespace SharpVision.Reports.Charts;

/// <summary>
/// The textbook training figure: one panel per metric (loss, accuracy, then any others), training and validation
/// curves ("x" and "val_x") together, panels side by side.
/// </summary>
public static class LearningCurves
{
    /// <summary>
    /// Renders per-epoch series such as {"loss", "val_loss", "accuracy", "val_accuracy"}. Keys are grouped by name
    /// with any "val_" prefix removed; validation curves are dashed. Each panel is <paramref name="panelWidth"/> wide.
    /// </summary>
    public static RgbImage Render(IReadOnlyDictionary<string, IReadOnlyList<double>> history, int panelWidth = 520, int height = 400)
    {
        ArgumentNullException.ThrowIfNull(history);
        if (history.Count == 0) throw new ArgumentException("history has no series", nameof(history));
        foreach (var (key, values) in history)
            if (values is null || values.Count == 0) throw new ArgumentException($"history series '{key}' is empty", nameof(history));

        var groups = history.Keys
            .GroupBy(BaseName)
            .OrderBy(g => Rank(g.Key)).ThenBy(g => g.Key, StringComparer.Ordinal)
            .ToList();
        var canvas = new Canvas(panelWidth * groups.Count, height);
        for (var p = 0; p < groups.Count; p++)
        {
            var group = groups[p];
            var series = group
                .OrderBy(k => k.StartsWith("val_", StringComparison.Ordinal) ? 1 : 0).ThenBy(k => k, StringComparer.Ordinal)
                .Select(k =>
                {
                    var isVal = k.StartsWith("val_", StringComparison.Ordinal);
                    return new LineSeries(isVal ? "validation" : "training", history[k])
                    {
                        Color = isVal ? Color.Series(1) : Color.Series(0),
                        Dashed = isVal,
                    };
                }).ToList();
            var options = new ChartOptions
            {
                Title = Pretty(group.Key),
                XLabel = "epoch",
                YLabel = group.Key,
            };
            LineChart.Draw(canvas, p * panelWidth, 0, panelWidth, height, series, options);
        }
        return canvas.ToImage();
    }

    private static string BaseName(string key) => key.StartsWith("val_", StringComparison.Ordinal) ? key[4..] : key;

    private static int Rank(string name) =>
        name.Contains("loss", StringComparison.OrdinalIgnoreCase) ? 0 : name.Contains("acc", StringComparison.OrdinalIgnoreCase) ? 1 : 2;

    private static string Pretty(string name)
    {
        var s = name.Replace('_', ' ');
        return s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];
    }
}
