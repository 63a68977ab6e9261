using System.Buffers;
using System.Collections.Concurrent;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SharpVision.Imaging;

/// <summary>
/// Bilinear resampling with antialiasing (the triangle filter widened by the scale factor when shrinking, as PIL's
/// <c>Image.resize(..., BILINEAR)</c> and torchvision's <c>antialias=True</c>), separable, in 22-bit fixed point.
/// Works on any channel count. Thread-safe; filter coefficients are cached per geometry because datasets repeat sizes.
/// The 3- and 4-channel horizontal pass and the vertical pass are SIMD (one pixel's channels per 128-bit vector, whole
/// rows per <see cref="Vector{T}"/>); results are bit-identical to the scalar path.
/// </summary>
public static class ImageResizer
{
    private const int PrecisionBits = 22;

    /// <summary>Test hook: false forces the scalar reference path.</summary>
    internal static bool UseSimd { get; set; } = true;
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
        // One spare byte: the SIMD horizontal pass stores 4 bytes per 3-byte pixel.
        var temp = ArrayPool<byte>.Shared.Rent(rows * width * c + 1);
        try
        {
            if (UseSimd && Sse41.IsSupported && (c == 3 || c == 4))
                HorizontalPassSimd(image.Pixels, image.Width, image.Height, c, firstRow, rows, horizontal, width, temp);
            else
                HorizontalPass(image.Pixels, image.Width, c, firstRow, rows, horizontal, width, temp);

            var output = new byte[width * height * c];
            VerticalPass(temp, width, c, firstRow, vertical, height, output);
            return new RgbImage(width, height, c, output);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(temp);
        }
    }

    /// <summary>
    /// The horizontal pass with one output pixel's channels in the lanes of a 128-bit integer vector: per tap one
    /// widening load, one multiply and one add instead of a scalar multiply-add per channel. Reads and writes 4 bytes
    /// per pixel, so a 3-channel image's last pixel is read through a padded copy of its row.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loops: skip the slow tier-0 code of the first epochs
    private static unsafe void HorizontalPassSimd(byte[] src, int srcWidth, int srcHeight, int c, int firstRow, int rows, Coefficients k, int outWidth, byte[] dst)
    {
        var half = Vector128.Create(1 << (PrecisionBits - 1));
        var max = Vector128.Create(255);
        var rowBytes = srcWidth * c;
        // Only a 3-channel pass that reads the image's last row needs it (a 4-byte load there would run past the array).
        var padded = c == 3 && firstRow + rows == srcHeight ? new byte[rowBytes + 1] : null;
        fixed (byte* s0 = src)
        fixed (byte* d0 = dst)
        fixed (byte* pad = padded)
        fixed (int* bounds = k.Bounds)
        fixed (int* weights = k.Weights)
        {
            for (var y = 0; y < rows; y++)
            {
                var srcRow = s0 + (long)(firstRow + y) * rowBytes;
                if (c == 3 && firstRow + y == srcHeight - 1)
                {
                    new ReadOnlySpan<byte>(srcRow, rowBytes).CopyTo(padded);
                    srcRow = pad;
                }
                var d = d0 + (long)y * outWidth * c;
                for (var x = 0; x < outWidth; x++, d += c)
                {
                    int n = bounds[x * 2 + 1];
                    var w = weights + x * k.Stride;
                    var p = srcRow + bounds[x * 2] * c;
                    var acc = half;
                    for (var i = 0; i < n; i++, p += c)
                        acc += Sse41.ConvertToVector128Int32(p) * Vector128.Create(w[i]);
                    var v = Vector128.Min(Vector128.Max(Vector128.ShiftRightArithmetic(acc, PrecisionBits), Vector128<int>.Zero), max);
                    var packed = Sse2.PackUnsignedSaturate(Sse41.PackUnsignedSaturate(v, v).AsInt16(), default);
                    Unsafe.WriteUnaligned(d, packed.AsInt32().ToScalar());
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loops: skip the slow tier-0 code of the first epochs
    private static unsafe void HorizontalPass(byte[] src, int srcWidth, int c, int firstRow, int rows, Coefficients k, int outWidth, byte[] dst)
    {
        const int half = 1 << (PrecisionBits - 1);
        fixed (byte* s0 = src)
        fixed (byte* d0 = dst)
        fixed (int* bounds = k.Bounds)
        fixed (int* weights = k.Weights)
        {
            for (var y = 0; y < rows; y++)
            {
                var srcRow = s0 + (long)(firstRow + y) * srcWidth * c;
                var d = d0 + (long)y * outWidth * c;
                for (var x = 0; x < outWidth; x++, d += c)
                {
                    int n = bounds[x * 2 + 1];
                    var w = weights + x * k.Stride;
                    var p = srcRow + bounds[x * 2] * c;
                    if (c == 3)
                    {
                        int r = half, g = half, b = half;
                        for (var i = 0; i < n; i++, p += 3)
                        {
                            var wi = w[i];
                            r += p[0] * wi;
                            g += p[1] * wi;
                            b += p[2] * wi;
                        }
                        d[0] = Clip(r);
                        d[1] = Clip(g);
                        d[2] = Clip(b);
                    }
                    else
                    {
                        for (var ch = 0; ch < c; ch++)
                        {
                            var sum = half;
                            for (var i = 0; i < n; i++) sum += p[i * c + ch] * w[i];
                            d[ch] = Clip(sum);
                        }
                    }
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loops: skip the slow tier-0 code of the first epochs
    private static unsafe void VerticalPass(byte[] src, int width, int c, int firstRow, Coefficients k, int outHeight, byte[] dst)
    {
        const int half = 1 << (PrecisionBits - 1);
        var rowLength = width * c;
        var acc = ArrayPool<int>.Shared.Rent(rowLength);
        try
        {
            fixed (byte* s0 = src)
            fixed (byte* d0 = dst)
            fixed (int* a = acc)
            fixed (int* bounds = k.Bounds)
            fixed (int* weights = k.Weights)
            {
                for (var y = 0; y < outHeight; y++)
                {
                    int n = bounds[y * 2 + 1];
                    var w = weights + y * k.Stride;
                    var rows = s0 + (long)(bounds[y * 2] - firstRow) * rowLength;
                    // Row-wise accumulation over contiguous bytes, SIMD-widened byte → int.
                    new Span<int>(a, rowLength).Fill(half);
                    for (var j = 0; j < n; j++) AccumulateRow(rows + (long)j * rowLength, w[j], a, rowLength);
                    StoreRow(a, d0 + (long)y * rowLength, rowLength);
                }
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(acc);
        }
    }

    /// <summary>acc[i] += row[i] × weight for i &lt; length.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loops: skip the slow tier-0 code of the first epochs
    private static unsafe void AccumulateRow(byte* row, int weight, int* acc, int length)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var step = Vector<byte>.Count;
            var w = new Vector<int>(weight);
            var quarter = Vector<int>.Count;
            for (; i <= length - step; i += step)
            {
                var bytes = Vector.Load(row + i);
                Vector.Widen(bytes, out var lo16, out var hi16);
                Vector.Widen(lo16, out var a32, out var b32);
                Vector.Widen(hi16, out var c32, out var d32);
                var p = acc + i;
                Vector.Store(Vector.Load(p) + Vector.AsVectorInt32(a32) * w, p);
                Vector.Store(Vector.Load(p + quarter) + Vector.AsVectorInt32(b32) * w, p + quarter);
                Vector.Store(Vector.Load(p + 2 * quarter) + Vector.AsVectorInt32(c32) * w, p + 2 * quarter);
                Vector.Store(Vector.Load(p + 3 * quarter) + Vector.AsVectorInt32(d32) * w, p + 3 * quarter);
            }
        }
        for (; i < length; i++) acc[i] += row[i] * weight;
    }

    /// <summary>dst[i] = clip(acc[i] &gt;&gt; precision) for i &lt; length, narrowing whole vectors at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loops: skip the slow tier-0 code of the first epochs
    private static unsafe void StoreRow(int* acc, byte* dst, int length)
    {
        var i = 0;
        if (UseSimd && Vector.IsHardwareAccelerated)
        {
            var step = Vector<byte>.Count;
            var quarter = Vector<int>.Count;
            var max = new Vector<int>(255);
            for (; i <= length - step; i += step)
            {
                var p = acc + i;
                var a = Vector.AsVectorUInt32(Vector.Min(Vector.Max(Vector.Load(p) >> PrecisionBits, Vector<int>.Zero), max));
                var b = Vector.AsVectorUInt32(Vector.Min(Vector.Max(Vector.Load(p + quarter) >> PrecisionBits, Vector<int>.Zero), max));
                var c = Vector.AsVectorUInt32(Vector.Min(Vector.Max(Vector.Load(p + 2 * quarter) >> PrecisionBits, Vector<int>.Zero), max));
                var d = Vector.AsVectorUInt32(Vector.Min(Vector.Max(Vector.Load(p + 3 * quarter) >> PrecisionBits, Vector<int>.Zero), max));
                Vector.Store(Vector.Narrow(Vector.Narrow(a, b), Vector.Narrow(c, d)), dst + i);
            }
        }
        for (; i < length; i++) dst[i] = Clip(acc[i]);
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
