using System.Globalization;
using SharpVision.Imaging;

namespace SharpVision.Reports.Charts;

/// <summary>Activations of a convolutional layer (C × H × W) as a grid of small colour-mapped tiles, one per channel.</summary>
public static class FeatureMapGrid
{
    /// <summary>
    /// Renders the first <paramref name="maxChannels"/> channels of <paramref name="values"/> (C·H·W floats, channel-major).
    /// Each tile is scaled up (nearest neighbour, so individual activations stay visible) to about
    /// <paramref name="tileSize"/> pixels and normalised to its own min–max unless <paramref name="sharedScale"/>.
    /// </summary>
    public static RgbImage Render(ReadOnlySpan<float> values, int channels, int height, int width, int tileSize = 64,
        int maxChannels = 64, Colormap? colormap = null, bool sharedScale = false, string? title = null)
    {
        if (channels < 1 || height < 1 || width < 1) throw new ArgumentException($"feature map shape must be positive, got {channels}×{height}×{width}");
        if ((long)channels * height * width != values.Length)
            throw new ArgumentException($"feature map {channels}×{height}×{width} needs {(long)channels * height * width} values, got {values.Length}");
        if (tileSize is < 4 or > 512) throw new ArgumentOutOfRangeException(nameof(tileSize), $"tile size must be in 4..512, got {tileSize}");
        if (maxChannels < 1) throw new ArgumentOutOfRangeException(nameof(maxChannels), $"maxChannels must be ≥ 1, got {maxChannels}");
        colormap ??= Colormap.Viridis;
        var shown = Math.Min(channels, maxChannels);
        var columns = (int)Math.Ceiling(Math.Sqrt(shown));
        var rows = (shown + columns - 1) / columns;
        var scale = Math.Max(1, tileSize / Math.Max(height, width));
        int tw = width * scale, th = height * scale;
        var font = BitmapFont.Regular;
        var labelled = tw >= 32;
        const int pad = 10, gap = 4;
        var labelH = labelled ? font.LineHeight : 0;
        var titleH = string.IsNullOrEmpty(title) ? 0 : BitmapFont.Title.LineHeight + 8;
        var canvasW = 2 * pad + columns * tw + (columns - 1) * gap;
        if (!string.IsNullOrEmpty(title)) canvasW = Math.Max(canvasW, BitmapFont.Title.Measure(title) + 2 * pad);
        var canvas = new Canvas(canvasW, 2 * pad + titleH + rows * (th + labelH) + (rows - 1) * gap);
        if (!string.IsNullOrEmpty(title)) canvas.DrawText(title, canvas.Width / 2, pad, Color.Ink, BitmapFont.Title, HorizontalAlign.Center);

        var plane = height * width;
        float globalMin = float.PositiveInfinity, globalMax = float.NegativeInfinity;
        if (sharedScale)
            foreach (var v in values[..(shown * plane)])
                if (float.IsFinite(v)) { globalMin = Math.Min(globalMin, v); globalMax = Math.Max(globalMax, v); }
        for (var ch = 0; ch < shown; ch++)
        {
            var tile = values.Slice(ch * plane, plane);
            float lo = globalMin, hi = globalMax;
            if (!sharedScale)
            {
                lo = float.PositiveInfinity; hi = float.NegativeInfinity;
                foreach (var v in tile)
                    if (float.IsFinite(v)) { lo = Math.Min(lo, v); hi = Math.Max(hi, v); }
            }
            var range = hi > lo ? hi - lo : 1f;
            if (!float.IsFinite(lo)) lo = 0;
            var x0 = pad + (ch % columns) * (tw + gap);
            var y0 = pad + titleH + (ch / columns) * (th + labelH + gap);
            for (var y = 0; y < height; y++)
                for (var x = 0; x < width; x++)
                    canvas.FillRect(x0 + x * scale, y0 + y * scale, scale, scale, colormap.Map((tile[y * width + x] - lo) / range));
            if (labelled)
                canvas.DrawText(ch.ToString(CultureInfo.InvariantCulture), x0 + tw / 2, y0 + th, Color.Gray, font, HorizontalAlign.Center);
        }
        return canvas.ToImage();
    }
}
