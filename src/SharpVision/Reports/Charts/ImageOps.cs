using SharpVision.Imaging;

namespace SharpVision.Reports.Charts;

/// <summary>Pixel helpers the charts need: bilinear resizing and conversion to 3-channel RGB.</summary>
public static class ImageOps
{
    /// <summary>Resizes any 1/3/4-channel image to an RGB image of the given size (bilinear, pixel-centre aligned; alpha is composited on white).</summary>
    public static RgbImage Resize(RgbImage image, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (width <= 0 || height <= 0) throw new ArgumentException($"target size must be positive, got {width}×{height}");
        var src = ToRgb(image);
        var dst = new byte[width * height * 3];
        var sx = (double)src.Width / width;
        var sy = (double)src.Height / height;
        for (var y = 0; y < height; y++)
        {
            var fy = Math.Clamp((y + 0.5) * sy - 0.5, 0, src.Height - 1);
            var y0 = (int)fy;
            var y1 = Math.Min(y0 + 1, src.Height - 1);
            var wy = fy - y0;
            for (var x = 0; x < width; x++)
            {
                var fx = Math.Clamp((x + 0.5) * sx - 0.5, 0, src.Width - 1);
                var x0 = (int)fx;
                var x1 = Math.Min(x0 + 1, src.Width - 1);
                var wx = fx - x0;
                for (var c = 0; c < 3; c++)
                {
                    var top = src.Pixels[src.Offset(x0, y0) + c] * (1 - wx) + src.Pixels[src.Offset(x1, y0) + c] * wx;
                    var bottom = src.Pixels[src.Offset(x0, y1) + c] * (1 - wx) + src.Pixels[src.Offset(x1, y1) + c] * wx;
                    dst[(y * width + x) * 3 + c] = (byte)Math.Round(top * (1 - wy) + bottom * wy);
                }
            }
        }
        return new RgbImage(width, height, 3, dst);
    }

    /// <summary>Returns the image as 3-channel RGB (gray is replicated, alpha is composited on white); RGB input is returned as is.</summary>
    public static RgbImage ToRgb(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Channels == 3) return image;
        var n = image.Width * image.Height;
        var dst = new byte[n * 3];
        for (var i = 0; i < n; i++)
        {
            if (image.Channels == 1)
            {
                dst[i * 3] = dst[i * 3 + 1] = dst[i * 3 + 2] = image.Pixels[i];
            }
            else
            {
                var a = image.Pixels[i * 4 + 3] / 255.0;
                for (var c = 0; c < 3; c++) dst[i * 3 + c] = (byte)Math.Round(image.Pixels[i * 4 + c] * a + 255 * (1 - a));
            }
        }
        return new RgbImage(image.Width, image.Height, 3, dst);
    }

    /// <summary>Bilinearly samples a 2-D field at fractional (row, column) coordinates, clamped to its edges.</summary>
    internal static double Sample(float[,] field, double row, double col)
    {
        int h = field.GetLength(0), w = field.GetLength(1);
        row = Math.Clamp(row, 0, h - 1);
        col = Math.Clamp(col, 0, w - 1);
        int r0 = (int)row, c0 = (int)col;
        int r1 = Math.Min(r0 + 1, h - 1), c1 = Math.Min(c0 + 1, w - 1);
        double wr = row - r0, wc = col - c0;
        var top = field[r0, c0] * (1 - wc) + field[r0, c1] * wc;
        var bottom = field[r1, c0] * (1 - wc) + field[r1, c1] * wc;
        return top * (1 - wr) + bottom * wr;
    }
}
