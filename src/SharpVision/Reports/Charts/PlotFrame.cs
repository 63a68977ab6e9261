namespace SharpVision.Reports.Charts;

/// <summary>
/// The shared anatomy of an x/y chart inside a region of a canvas: title, axis labels, tick labels, grid and the
/// data-to-pixel mapping. Charts lay themselves out with it so that they all look alike.
/// </summary>
internal sealed class PlotFrame
{
    private const int Pad = 10;

    public PlotFrame(Canvas canvas, int x, int y, int width, int height, string? title, string? xLabel, string? yLabel,
        NiceTicks? xTicks, NiceTicks yTicks, int extraBottom = 0, int extraRight = 0, int extraTop = 0)
    {
        Canvas = canvas;
        XTicks = xTicks;
        YTicks = yTicks;
        Title = title;
        XLabel = xLabel;
        YLabel = yLabel;
        var font = BitmapFont.Regular;
        var top = y + Pad + extraTop + (string.IsNullOrEmpty(title) ? 0 : BitmapFont.Title.LineHeight + 8);
        var yLabelWidth = YTicks.Values.Max(v => font.Measure(YTicks.Format(v)));
        var left = x + Pad + (string.IsNullOrEmpty(yLabel) ? 0 : font.LineHeight + 6) + yLabelWidth + 6;
        var bottom = y + height - Pad - (string.IsNullOrEmpty(xLabel) ? 0 : font.LineHeight + 4) - font.LineHeight - 6 - extraBottom;
        var right = x + width - Pad - extraRight - (xTicks is null ? 0 : font.Measure(xTicks.Format(xTicks.Max)) / 2);
        Region = (x, y, width, height);
        Left = left;
        Top = top;
        Right = Math.Max(right, left + 10);
        Bottom = Math.Max(bottom, top + 10);
    }

    public Canvas Canvas { get; }

    public NiceTicks? XTicks { get; }

    public NiceTicks YTicks { get; }

    public string? Title { get; }

    public string? XLabel { get; }

    public string? YLabel { get; }

    public (int X, int Y, int Width, int Height) Region { get; }

    /// <summary>Pixel column of the plot's left edge.</summary>
    public int Left { get; }

    /// <summary>Pixel row of the plot's top edge.</summary>
    public int Top { get; }

    /// <summary>Pixel column of the plot's right edge.</summary>
    public int Right { get; }

    /// <summary>Pixel row of the plot's bottom edge.</summary>
    public int Bottom { get; }

    public int PlotWidth => Right - Left;

    public int PlotHeight => Bottom - Top;

    public double X(double v) => XTicks is null ? Left : Left + (v - XTicks.Min) / (XTicks.Max - XTicks.Min) * PlotWidth;

    public double Y(double v) => Bottom - (v - YTicks.Min) / (YTicks.Max - YTicks.Min) * PlotHeight;

    /// <summary>Draws title, grid, axes, ticks and labels; data goes on top afterwards.</summary>
    public void DrawBackground()
    {
        var c = Canvas;
        var font = BitmapFont.Regular;
        var (rx, ry, rw, rh) = Region;
        if (!string.IsNullOrEmpty(Title))
            c.DrawText(BitmapFont.Title.Fit(Title, rw - 2 * Pad), rx + rw / 2, ry + Pad, Color.Ink, BitmapFont.Title, HorizontalAlign.Center);
        foreach (var v in YTicks.Values)
        {
            var py = (int)Math.Round(Y(v));
            c.FillRect(Left, py, PlotWidth + 1, 1, Color.Grid);
            c.FillRect(Left - 4, py, 4, 1, Color.Ink);
            c.DrawText(YTicks.Format(v), Left - 7, py, Color.Ink, font, HorizontalAlign.Right, VerticalAlign.Middle);
        }
        if (XTicks is not null)
        {
            foreach (var v in XTicks.Values)
            {
                var px = (int)Math.Round(X(v));
                c.FillRect(px, Top, 1, PlotHeight, Color.Grid);
                c.FillRect(px, Bottom + 1, 1, 4, Color.Ink);
                c.DrawText(XTicks.Format(v), px, Bottom + 6, Color.Ink, font, HorizontalAlign.Center);
            }
        }
        if (!string.IsNullOrEmpty(XLabel))
            c.DrawText(font.Fit(XLabel, rw), (Left + Right) / 2, ry + rh - Pad, Color.Ink, font, HorizontalAlign.Center, VerticalAlign.Bottom);
        if (!string.IsNullOrEmpty(YLabel))
            c.DrawTextVertical(font.Fit(YLabel, PlotHeight), rx + Pad, (Top + Bottom) / 2, Color.Ink, font, HorizontalAlign.Left);
    }

    /// <summary>Draws the left and bottom axis lines (after the data, so they stay crisp).</summary>
    public void DrawAxes()
    {
        Canvas.FillRect(Left, Top, 1, PlotHeight + 1, Color.Ink);
        Canvas.FillRect(Left, Bottom, PlotWidth + 1, 1, Color.Ink);
    }

    /// <summary>
    /// Draws a legend box in the plot corner that covers the fewest of <paramref name="occupied"/> pixel points.
    /// Each entry is drawn as a short line (or a filled square when <c>Swatch</c> is true) in its colour.
    /// </summary>
    public void DrawLegend(IReadOnlyList<(string Name, Color Color, bool Dashed, bool Swatch)> entries, IReadOnlyList<(double X, double Y)> occupied)
    {
        if (entries.Count == 0) return;
        var font = BitmapFont.Regular;
        var lineH = font.LineHeight + 3;
        var w = entries.Max(e => font.Measure(e.Name)) + 38;
        var h = entries.Count * lineH + 10;
        var candidates = new (int X, int Y)[]
        {
            (Right - w - 8, Top + 8), (Left + 8, Top + 8), (Right - w - 8, Bottom - h - 8), (Left + 8, Bottom - h - 8),
        };
        var best = candidates[0];
        var bestCount = int.MaxValue;
        foreach (var cand in candidates)
        {
            var count = occupied.Count(p => p.X >= cand.X - 4 && p.X <= cand.X + w + 4 && p.Y >= cand.Y - 4 && p.Y <= cand.Y + h + 4);
            if (count < bestCount)
            {
                bestCount = count;
                best = cand;
            }
        }
        Canvas.FillRect(best.X, best.Y, w, h, Color.White, 0.85);
        Canvas.DrawRect(best.X, best.Y, w, h, new Color(200, 200, 200));
        for (var i = 0; i < entries.Count; i++)
        {
            var (name, color, dashed, swatch) = entries[i];
            var cy = best.Y + 5 + i * lineH + lineH / 2;
            if (swatch) Canvas.FillRect(best.X + 10, cy - 5, 18, 10, color, 0.8);
            else Canvas.DrawLine(best.X + 8, cy, best.X + 30, cy, color, 2.5, dashed ? 4 : 0);
            Canvas.DrawText(name, best.X + 36, cy, Color.Ink, font, HorizontalAlign.Left, VerticalAlign.Middle);
        }
    }
}
