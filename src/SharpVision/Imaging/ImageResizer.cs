using System.Collections.Concurrent;

namespace SharpVision.Imaging;

/// <summary>
/// Bilinear resampling with antialiasing (the triangle filter widened by the scale factor when shrinking, as PIL's
/// <c>Image.resize(..., BILINEAR)</c> and torchvision's <c>antialias=True</c>), separable, in 22-bit fixed point.
/// Works on any channel count. Thread-safe; filter coefficients are cached per geometry because datasets repeat sizes.
/// </summary>
public static class ImageResizer
{
    private const int PrecisionBits = 22;
    private static readonly ConcurrentDictionary<(int InSize, double Start, double End, int OutSize), Coefficients> Cache = new();

    /// <summary>Resizes the whole image to <paramref name="width"/>×<paramref name="height"/>.</summary>
    public static RgbImage Resize(RgbImage image, int width, int height) =>
        Resize(image, (0, 0, image.Width, image.Height), width, height);

    /// <summary>
    /// Resizes the source rectangle <paramref name="box"/> (in pixels, may be fractional; must lie inside the image)
    /// to <paramref name="width"/>×<paramref name="height"/>. Cropping and resizing in one pass avoids a copy and a
    /// second resampling.
    /// </summary>
    public static RgbImage Resize(RgbImage image, (double X, double Y, double Width, double Height) box, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (width <= 0 || height <= 0) throw new ArgumentException($"target size must be positive, got {width}×{height}");
        if (box.Width <= 0 || box.Height <= 0 || box.X < 0 || box.Y < 0 || box.X + box.Width > image.Width + 1e-9 || box.Y + box.Height > image.Height + 1e-9)
            throw new ArgumentException($"box ({box.X}, {box.Y}, {box.Width}×{box.Height}) is not inside the {image.Width}×{image.Height} image");
        var c = image.Channels;
        if (width == image.Width && height == image.Height && box is (0, 0, _, _) && box.Width == image.Width && box.Height == image.Height)
            return new RgbImage(width, height, c, (byte[])image.Pixels.Clone());

        var horizontal = GetCoefficients(image.Width, box.X, box.X + box.Width, width);
        var vertical = GetCoefficients(image.Height, box.Y, box.Y + box.Height, height);

        // Horizontal pass only over the source rows the vertical pass reads.
        var firstRow = vertical.Bounds[0];
        var lastRow = vertical.Bounds[(height - 1) * 2] + vertical.Bounds[(height - 1) * 2 + 1];
        var rows = lastRow - firstRow;
        var temp = new byte[rows * width * c];
        HorizontalPass(image.Pixels, image.Width, c, firstRow, rows, horizontal, width, temp);

        var output = new byte[width * height * c];
        VerticalPass(temp, width, c, firstRow, vertical, height, output);
        return new RgbImage(width, height, c, output);
    }

    private static void HorizontalPass(byte[] src, int srcWidth, int c, int firstRow, int rows, Coefficients k, int outWidth, byte[] dst)
    {
        const int half = 1 << (PrecisionBits - 1);
        for (var y = 0; y < rows; y++)
        {
            var srcRow = (firstRow + y) * srcWidth * c;
            var dstRow = y * outWidth * c;
            for (var x = 0; x < outWidth; x++)
            {
                int xmin = k.Bounds[x * 2], n = k.Bounds[x * 2 + 1], w0 = x * k.Stride;
                for (var ch = 0; ch < c; ch++)
                {
                    var sum = half;
                    var p = srcRow + xmin * c + ch;
                    for (var i = 0; i < n; i++, p += c) sum += src[p] * k.Weights[w0 + i];
                    dst[dstRow + x * c + ch] = Clip(sum);
                }
            }
        }
    }

    private static void VerticalPass(byte[] src, int width, int c, int firstRow, Coefficients k, int outHeight, byte[] dst)
    {
        const int half = 1 << (PrecisionBits - 1);
        var rowLength = width * c;
        for (var y = 0; y < outHeight; y++)
        {
            int ymin = k.Bounds[y * 2] - firstRow, n = k.Bounds[y * 2 + 1], w0 = y * k.Stride;
            var dstRow = y * rowLength;
            for (var i = 0; i < rowLength; i++)
            {
                var sum = half;
                var p = ymin * rowLength + i;
                for (var j = 0; j < n; j++, p += rowLength) sum += src[p] * k.Weights[w0 + j];
                dst[dstRow + i] = Clip(sum);
            }
        }
    }

    private static byte Clip(int fixedPoint)
    {
        var v = fixedPoint >> PrecisionBits;
        return (byte)(v < 0 ? 0 : v > 255 ? 255 : v);
    }

    private static Coefficients GetCoefficients(int inSize, double start, double end, int outSize) =>
        Cache.Count > 4096
            ? Compute(inSize, start, end, outSize) // pathological size variety: do not grow without bound
            : Cache.GetOrAdd((inSize, start, end, outSize), key => Compute(key.InSize, key.Start, key.End, key.OutSize));

    /// <summary>PIL's precompute_coeffs for the bilinear (triangle, support 1) filter.</summary>
    private static Coefficients Compute(int inSize, double start, double end, int outSize)
    {
        var scale = (end - start) / outSize;
        var filterScale = Math.Max(scale, 1.0);
        var support = filterScale; // bilinear support 1.0 × filter scale
        var stride = (int)Math.Ceiling(support) * 2 + 1;
        var bounds = new int[outSize * 2];
        var weights = new int[outSize * stride];
        var tmp = new double[stride];
        for (var x = 0; x < outSize; x++)
        {
            var center = start + (x + 0.5) * scale;
            var xmin = Math.Max((int)(center - support + 0.5), 0);
            var xmax = Math.Min((int)(center + support + 0.5), inSize) - xmin;
            xmax = Math.Min(xmax, stride);
            double total = 0;
            for (var i = 0; i < xmax; i++)
            {
                var w = 1.0 - Math.Abs((i + xmin - center + 0.5) / filterScale);
                tmp[i] = w > 0 ? w : 0;
                total += tmp[i];
            }
            for (var i = 0; i < xmax; i++)
            {
                var w = total != 0 ? tmp[i] / total : 0;
                weights[x * stride + i] = (int)Math.Round(w * (1 << PrecisionBits), MidpointRounding.AwayFromZero);
            }
            bounds[x * 2] = xmin;
            bounds[x * 2 + 1] = xmax;
        }
        return new Coefficients(bounds, weights, stride);
    }

    private sealed record Coefficients(int[] Bounds, int[] Weights, int Stride);
}
