using SharpVision.Imaging;

namespace SharpVision.Reports.Charts;

/// <summary>Histograms of one or more distributions over shared bins, bars of each bin side by side, with a legend.</summary>
public static class Histogram
{
    /// <summary>
    /// Renders the series over <paramref name="bins"/> equal bins from <paramref name="min"/> to <paramref name="max"/>
    /// (values outside are clamped into the end bins). Each of <paramref name="markers"/> is drawn as a dashed vertical
    /// line (e.g. a threshold) with its label in the legend.
    /// </summary>
    public static RgbImage Render(IReadOnlyList<HistogramSeries> series, int bins = 20, double min = 0, double max = 1, ChartOptions? options = null,
        IReadOnlyList<(double X, string Label)>? markers = null)
    {
        ArgumentNullException.ThrowIfNull(series);
        if (series.Count == 0) throw new ArgumentException("a histogram needs at least one series", nameof(series));
        if (bins < 1 || bins > 1000) throw new ArgumentOutOfRangeException(nameof(bins), $"bins must be in 1..1000, got {bins}");
        if (!(max > min)) throw new ArgumentException($"histogram range must satisfy min < max, got [{min}, {max}]");
        options ??= new ChartOptions();
        options.Validate();

        var counts = series.Select(s => Count(s.Values, bins, min, max)).ToList();
        var top = Math.Max(1, counts.Max(c => c.Max()));
        var canvas = new Canvas(options.Width, options.Height);
        var xTicks = NiceTicks.Compute(min, max, Math.Clamp(options.Width / 90, 3, 10));
        var yTicks = NiceTicks.Compute(0, options.YMax ?? top, Math.Clamp(options.Height / 60, 3, 10), integerOnly: true);
        var frame = new PlotFrame(canvas, 0, 0, options.Width, options.Height, options.Title, options.XLabel, options.YLabel ?? "count", xTicks, yTicks);
        frame.DrawBackground();
        var legend = new List<(string, Color, bool, bool)>();
        var occupied = new List<(double, double)>();
        for (var k = 0; k < series.Count; k++)
        {
            var color = series[k].Color ?? Color.Series(k);
            for (var b = 0; b < bins; b++)
            {
                // Each bin is split into one slot per series so that no bar hides another.
                var left = frame.X(min + (max - min) * b / bins);
                var slot = (frame.X(min + (max - min) * (b + 1) / bins) - left) / series.Count;
                var x0 = (int)Math.Round(left + slot * k);
                var x1 = (int)Math.Round(left + slot * (k + 1));
                var y = (int)Math.Round(frame.Y(counts[k][b]));
                if (counts[k][b] == 0) continue;
                canvas.FillRect(x0 + (k == 0 ? 1 : 0), y, Math.Max(1, x1 - x0 - (k == 0 ? 1 : 0)), frame.Bottom - y, color, 0.85);
                for (var yy = y; yy < frame.Bottom; yy += 6) occupied.Add(((x0 + x1) / 2.0, yy));
            }
            legend.Add(($"{series[k].Name} (n={series[k].Values.Count(double.IsFinite)})", color, false, true));
        }
        foreach (var (x, label) in markers ?? [])
        {
            var px = frame.X(Math.Clamp(x, min, max));
            canvas.DrawLine(px, frame.Y(yTicks.Max), px, frame.Bottom, Color.Black, 2, dash: 6);
            legend.Add((label, Color.Black, true, false));
        }
        frame.DrawAxes();
        frame.DrawLegend(legend, occupied);
        return canvas.ToImage();
    }

    private static int[] Count(IReadOnlyList<double> values, int bins, double min, double max)
    {
        var c = new int[bins];
        foreach (var v in values)
        {
            if (!double.IsFinite(v)) continue;
            c[Math.Clamp((int)Math.Floor((v - min) / (max - min) * bins), 0, bins - 1)]++;
        }
        return c;
    }
}
