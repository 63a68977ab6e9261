using SharpVision.Imaging;

namespace SharpVision.Reports.Charts;

/// <summary>A coarse heat map (e.g. Grad-CAM, H'×W') upsampled bilinearly to an image and blended over it in a colour scale.</summary>
public static class HeatmapOverlay
{
    /// <summary>
    /// Returns a new RGB image of the same size: image × (1 − α) + colour(heat) × α, where heat is min–max
    /// normalised (unless <paramref name="normalize"/> is false, then it must already lie in [0, 1]). The
    /// default colour scale is jet.
    /// </summary>
    public static RgbImage Render(RgbImage image, float[,] heat, double alpha = 0.45, Colormap? colormap = null, bool normalize = true)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(heat);
        if (heat.GetLength(0) == 0 || heat.GetLength(1) == 0) throw new ArgumentException("heat map is empty", nameof(heat));
        if (!(alpha is >= 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(alpha), $"alpha must be in [0, 1], got {alpha}");
        colormap ??= Colormap.Jet;
        int h = heat.GetLength(0), w = heat.GetLength(1);
        double lo = 0, hi = 1;
        if (normalize)
        {
            lo = double.PositiveInfinity;
            hi = double.NegativeInfinity;
            foreach (var v in heat)
                if (float.IsFinite(v)) { lo = Math.Min(lo, v); hi = Math.Max(hi, v); }
            if (!double.IsFinite(lo)) (lo, hi) = (0, 1);
            if (hi <= lo) hi = lo + 1;
        }
        var src = ImageOps.ToRgb(image);
        var dst = new byte[src.Pixels.Length];
        for (var y = 0; y < src.Height; y++)
        {
            var row = (y + 0.5) * h / src.Height - 0.5;
            for (var x = 0; x < src.Width; x++)
            {
                var col = (x + 0.5) * w / src.Width - 0.5;
                var t = (ImageOps.Sample(heat, row, col) - lo) / (hi - lo);
                var c = colormap.Map(double.IsFinite(t) ? t : 0);
                var o = src.Offset(x, y);
                dst[o] = (byte)Math.Round(src.Pixels[o] * (1 - alpha) + c.R * alpha);
                dst[o + 1] = (byte)Math.Round(src.Pixels[o + 1] * (1 - alpha) + c.G * alpha);
                dst[o + 2] = (byte)Math.Round(src.Pixels[o + 2] * (1 - alpha) + c.B * alpha);
            }
        }
        return new RgbImage(src.Width, src.Height, 3, dst);
    }
}
