using SharpVision.Imaging;

namespace SharpVision.Reports.Charts;

/// <summary>
/// A labelled matrix of coloured cells with optional text in each cell (contrasting colour) and a colour scale bar —
/// the confusion-matrix figure.
/// </summary>
public static class Heatmap
{
    /// <summary>
    /// Renders <paramref name="values"/> (rows × columns, coloured on [<paramref name="min"/>, <paramref name="max"/>])
    /// with <paramref name="cellText"/> written in the cells where it fits.
    /// </summary>
    public static RgbImage Render(IReadOnlyList<string> rowLabels, IReadOnlyList<string> columnLabels, double[][] values,
        string[][]? cellText = null, string? title = null, string? xLabel = null, string? yLabel = null,
        Colormap? colormap = null, double min = 0, double max = 1) =>
        RenderWithLayout(rowLabels, columnLabels, values, cellText, title, xLabel, yLabel, colormap, min, max).Image;

    /// <summary>Renders and also returns where the cell grid lies (left, top, cell size), for tests and overlays.</summary>
    internal static (RgbImage Image, (int Left, int Top, int Cell) Grid) RenderWithLayout(IReadOnlyList<string> rowLabels, IReadOnlyList<string> columnLabels,
        double[][] values, string[][]? cellText, string? title, string? xLabel, string? yLabel, Colormap? colormap, double min, double max)
    {
        ArgumentNullException.ThrowIfNull(rowLabels);
        ArgumentNullException.ThrowIfNull(columnLabels);
        ArgumentNullException.ThrowIfNull(values);
        int rows = rowLabels.Count, cols = columnLabels.Count;
        if (rows == 0 || cols == 0) throw new ArgumentException("a heatmap needs at least one row and one column");
        if (values.Length != rows || values.Any(r => r is null || r.Length != cols))
            throw new ArgumentException($"heatmap values must be {rows}×{cols}");
        if (cellText is not null && (cellText.Length != rows || cellText.Any(r => r is null || r.Length != cols)))
            throw new ArgumentException($"heatmap cell text must be {rows}×{cols}");
        if (!(max > min)) throw new ArgumentException($"colour range must satisfy min < max, got [{min}, {max}]");
        colormap ??= Colormap.Blues;
        var font = BitmapFont.Regular;
        const int pad = 12, maxLabel = 140, barWidth = 16;

        var cell = Math.Clamp(640 / Math.Max(rows, cols), 10, 56);
        var rowLabelWidth = Math.Min(rowLabels.Max(l => font.Measure(l)), maxLabel);
        var colLabelMax = Math.Min(columnLabels.Max(l => font.Measure(l)), maxLabel);
        var rotate = colLabelMax > cell - 4;
        var colLabelHeight = rotate ? colLabelMax : font.LineHeight;
        var titleHeight = string.IsNullOrEmpty(title) ? 0 : BitmapFont.Title.LineHeight + 10;
        var yLabelWidth = string.IsNullOrEmpty(yLabel) ? 0 : font.LineHeight + 8;
        var xLabelHeight = string.IsNullOrEmpty(xLabel) ? 0 : font.LineHeight + 8;
        var cellEstimate = Math.Clamp(640 / Math.Max(rows, cols), 10, 56) * rows;
        var ticks = NiceTicks.Compute(min, max, Math.Clamp(cellEstimate / 50, 2, 6));
        var scaleLabelWidth = ticks.Values.Max(v => font.Measure(ticks.Format(v)));

        var gridLeft = pad + yLabelWidth + rowLabelWidth + 8;
        var gridTop = pad + titleHeight;
        var gridW = cols * cell;
        var gridH = rows * cell;
        var width = gridLeft + gridW + 20 + barWidth + 6 + scaleLabelWidth + pad;
        var height = gridTop + gridH + 6 + colLabelHeight + xLabelHeight + pad;
        if (!string.IsNullOrEmpty(title)) width = Math.Max(width, BitmapFont.Title.Measure(title) + 2 * pad);
        var canvas = new Canvas(width, height);

        if (!string.IsNullOrEmpty(title))
            canvas.DrawText(title, width / 2, pad, Color.Ink, BitmapFont.Title, HorizontalAlign.Center);
        var every = Math.Max(1, (int)Math.Ceiling((double)font.LineHeight / cell));
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < cols; c++)
            {
                var t = (values[r][c] - min) / (max - min);
                var color = colormap.Map(t);
                int x = gridLeft + c * cell, y = gridTop + r * cell;
                canvas.FillRect(x, y, cell, cell, color);
                var text = cellText?[r][c];
                if (!string.IsNullOrEmpty(text) && font.Measure(text) <= cell - 3 && font.LineHeight <= cell)
                    canvas.DrawText(text, x + cell / 2, y + cell / 2, color.ContrastingText, font, HorizontalAlign.Center, VerticalAlign.Middle);
            }
            if (r % every == 0)
                canvas.DrawText(font.Fit(rowLabels[r], maxLabel), gridLeft - 6, gridTop + r * cell + cell / 2, Color.Ink, font, HorizontalAlign.Right, VerticalAlign.Middle);
        }
        // Thin separators keep neighbouring cells of equal colour distinguishable.
        if (cell >= 16)
        {
            for (var r = 1; r < rows; r++) canvas.FillRect(gridLeft, gridTop + r * cell, gridW, 1, Color.White, 0.6);
            for (var c = 1; c < cols; c++) canvas.FillRect(gridLeft + c * cell, gridTop, 1, gridH, Color.White, 0.6);
        }
        canvas.DrawRect(gridLeft - 1, gridTop - 1, gridW + 2, gridH + 2, new Color(160, 160, 160));
        for (var c = 0; c < cols; c += every)
        {
            var cx = gridLeft + c * cell + cell / 2;
            if (rotate)
                canvas.DrawTextVertical(font.Fit(columnLabels[c], maxLabel), cx, gridTop + gridH + 6, Color.Ink, font, HorizontalAlign.Center, VerticalAlign.Top);
            else
                canvas.DrawText(columnLabels[c], cx, gridTop + gridH + 6, Color.Ink, font, HorizontalAlign.Center);
        }
        if (!string.IsNullOrEmpty(xLabel))
            canvas.DrawText(xLabel, gridLeft + gridW / 2, height - pad, Color.Ink, BitmapFont.Bold, HorizontalAlign.Center, VerticalAlign.Bottom);
        if (!string.IsNullOrEmpty(yLabel))
            canvas.DrawTextVertical(yLabel, pad, gridTop + gridH / 2, Color.Ink, BitmapFont.Bold, HorizontalAlign.Left);

        // Colour scale bar beside the grid, high values at the top.
        var barX = gridLeft + gridW + 20;
        for (var y = 0; y < gridH; y++)
            canvas.FillRect(barX, gridTop + y, barWidth, 1, colormap.Map(1 - (double)y / Math.Max(1, gridH - 1)));
        canvas.DrawRect(barX - 1, gridTop - 1, barWidth + 2, gridH + 2, new Color(160, 160, 160));
        foreach (var v in ticks.Values.Where(v => v >= min - 1e-9 && v <= max + 1e-9))
        {
            var y = gridTop + (int)Math.Round((1 - (v - min) / (max - min)) * (gridH - 1));
            canvas.FillRect(barX + barWidth, y, 4, 1, Color.Ink);
            canvas.DrawText(ticks.Format(v), barX + barWidth + 6, y, Color.Ink, font, HorizontalAlign.Left, VerticalAlign.Middle);
        }
        return (canvas.ToImage(), (gridLeft, gridTop, cell));
    }
}
