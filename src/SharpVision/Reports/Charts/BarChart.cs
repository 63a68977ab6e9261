using System.Globalization;
using SharpVision.Imaging;

namespace SharpVision.Reports.Charts;

/// <summary>A vertical bar chart with category labels (rotated when they do not fit) and value labels on the bars.</summary>
public static class BarChart
{
    /// <summary>
    /// Renders one bar per category. <paramref name="valueFormat"/> formats the value labels (e.g. "0.00", "0%");
    /// <paramref name="colors"/> gives per-bar colours (default: the first palette colour).
    /// </summary>
    public static RgbImage Render(IReadOnlyList<string> labels, IReadOnlyList<double> values, ChartOptions? options = null,
        string valueFormat = "0.00", IReadOnlyList<Color>? colors = null)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(values);
        if (labels.Count != values.Count) throw new ArgumentException($"{labels.Count} labels for {values.Count} values");
        if (labels.Count == 0) throw new ArgumentException("a bar chart needs at least one bar", nameof(values));
        if (colors is not null && colors.Count != values.Count) throw new ArgumentException($"{colors.Count} colours for {values.Count} bars", nameof(colors));
        options ??= new ChartOptions();
        options.Validate();
        var canvas = new Canvas(options.Width, options.Height);
        var font = BitmapFont.Regular;

        var finite = values.Where(double.IsFinite).DefaultIfEmpty(0).ToList();
        var yTicks = NiceTicks.Compute(Math.Min(options.YMin ?? 0, finite.Min()), Math.Max(options.YMax ?? finite.Max(), 0), Math.Clamp(options.Height / 60, 3, 10));

        // Category labels rotate when the widest does not fit its slot; reserve room below the axis for them.
        var approxSlot = (options.Width - 120.0) / labels.Count;
        var rotate = labels.Max(l => font.Measure(l)) > approxSlot - 4;
        const int maxRotated = 130;
        var extraBottom = rotate ? Math.Min(labels.Max(l => font.Measure(l)), maxRotated) - font.LineHeight : 0;
        var frame = new PlotFrame(canvas, 0, 0, options.Width, options.Height, options.Title, options.XLabel, options.YLabel, null, yTicks, extraBottom, extraTop: font.LineHeight);
        frame.DrawBackground();

        var slot = (double)frame.PlotWidth / labels.Count;
        var barWidth = Math.Max(1, (int)Math.Round(slot * 0.72));
        var labelEvery = rotate ? Math.Max(1, (int)Math.Ceiling(font.LineHeight / slot)) : 1;
        var zeroY = frame.Y(0);
        for (var i = 0; i < labels.Count; i++)
        {
            var cx = frame.Left + slot * (i + 0.5);
            var v = values[i];
            if (double.IsFinite(v))
            {
                var top = frame.Y(v);
                var y0 = (int)Math.Round(Math.Min(top, zeroY));
                var h = Math.Max(1, (int)Math.Round(Math.Abs(zeroY - top)));
                canvas.FillRect((int)Math.Round(cx - barWidth / 2.0), y0, barWidth, h, colors?[i] ?? Color.Series(0));
                var text = v.ToString(valueFormat, CultureInfo.InvariantCulture);
                if (font.Measure(text) <= slot - 2)
                    canvas.DrawText(text, (int)Math.Round(cx), v >= 0 ? y0 - 2 : y0 + h + 2, Color.Ink, font, HorizontalAlign.Center,
                        v >= 0 ? VerticalAlign.Bottom : VerticalAlign.Top);
            }
            if (i % labelEvery != 0) continue;
            if (rotate)
                canvas.DrawTextVertical(font.Fit(labels[i], maxRotated), (int)Math.Round(cx), frame.Bottom + 6, Color.Ink, font, HorizontalAlign.Center, VerticalAlign.Top);
            else
                canvas.DrawText(labels[i], (int)Math.Round(cx), frame.Bottom + 6, Color.Ink, font, HorizontalAlign.Center);
        }
        frame.DrawAxes();
        return canvas.ToImage();
    }
}
