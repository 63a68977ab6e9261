using SharpVision.Imaging;

namespace SharpVision.Reports.Charts;

/// <summary>A line chart of one or more series with axes, nice ticks, grid, legend and title.</summary>
public static class LineChart
{
    /// <summary>Renders the series to a new image.</summary>
    public static RgbImage Render(IReadOnlyList<LineSeries> series, ChartOptions? options = null)
    {
        options ??= new ChartOptions();
        options.Validate();
        var canvas = new Canvas(options.Width, options.Height);
        Draw(canvas, 0, 0, options.Width, options.Height, series, options);
        return canvas.ToImage();
    }

    /// <summary>Draws the chart into a region of an existing canvas (for multi-panel figures).</summary>
    public static void Draw(Canvas canvas, int x, int y, int width, int height, IReadOnlyList<LineSeries> series, ChartOptions options)
    {
        ArgumentNullException.ThrowIfNull(canvas);
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(options);
        if (series.Count == 0) throw new ArgumentException("a line chart needs at least one series", nameof(series));

        var xs = new List<double>();
        var ys = new List<double>();
        foreach (var s in series)
            for (var i = 0; i < s.Y.Count; i++)
            {
                if (!double.IsFinite(s.Y[i])) continue;
                xs.Add(s.XAt(i));
                ys.Add(s.Y[i]);
            }
        if (xs.Count == 0)
        {
            xs.Add(1);
            ys.Add(0);
        }
        var allIntegerX = xs.All(v => Math.Abs(v - Math.Round(v)) < 1e-9);
        var xTicks = NiceTicks.Compute(xs.Min(), xs.Max(), Math.Clamp(width / 90, 3, 10), integerOnly: allIntegerX);
        var yTicks = NiceTicks.Compute(options.YMin ?? ys.Min(), options.YMax ?? ys.Max(), Math.Clamp(height / 60, 3, 10));
        var frame = new PlotFrame(canvas, x, y, width, height, options.Title, options.XLabel, options.YLabel, xTicks, yTicks);
        frame.DrawBackground();

        var legend = new List<(string, Color, bool, bool)>();
        var occupied = new List<(double, double)>();
        for (var k = 0; k < series.Count; k++)
        {
            var s = series[k];
            var color = s.Color ?? Color.Series(k);
            var points = new List<(double X, double Y)>(s.Y.Count);
            for (var i = 0; i < s.Y.Count; i++)
                points.Add(double.IsFinite(s.Y[i]) ? (frame.X(s.XAt(i)), frame.Y(s.Y[i])) : (double.NaN, double.NaN));
            canvas.DrawPolyline(points, color, 2.2, s.Dashed ? 6 : 0);
            if (s.Markers ?? s.Y.Count <= 40)
                foreach (var p in points.Where(p => !double.IsNaN(p.X))) canvas.DrawMarker(p.X, p.Y, color, 2.5);
            // Sample along segments too, so the legend avoids lines and not only their vertices.
            for (var i = 0; i < points.Count; i++)
            {
                occupied.Add(points[i]);
                if (i > 0)
                    for (var t = 0.1; t < 1; t += 0.1)
                        occupied.Add((points[i - 1].X + (points[i].X - points[i - 1].X) * t, points[i - 1].Y + (points[i].Y - points[i - 1].Y) * t));
            }
            legend.Add((s.Name, color, s.Dashed, false));
        }
        frame.DrawAxes();
        if (series.Count > 1 || !string.IsNullOrEmpty(series[0].Name)) frame.DrawLegend(legend, occupied);
    }
}
