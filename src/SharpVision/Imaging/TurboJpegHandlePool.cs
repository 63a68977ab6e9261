using System.Collections.Concurrent;
using SharpVision.Imaging.Native;

namespace SharpVision.Imaging;

/// <summary>
/// Reusable TurboJPEG handles. A handle must not be used by two threads at once, so each call rents one; creating a
/// handle per call costs more than decoding a small thumbnail. At most <see cref="MaxPooled"/> idle handles are kept
/// per kind; extra ones are destroyed on return.
/// </summary>
internal static class TurboJpegHandlePool
{
    private static readonly int MaxPooled = Math.Max(4, Environment.ProcessorCount * 2);
    private static readonly ConcurrentBag<IntPtr> Decompressors = new();
    private static readonly ConcurrentBag<IntPtr> Compressors = new();

    /// <summary>Rents a decompressor.</summary>
    internal static IntPtr RentDecompressor() => Rent(Decompressors, compress: false);

    /// <summary>Rents a compressor.</summary>
    internal static IntPtr RentCompressor() => Rent(Compressors, compress: true);

    /// <summary>Returns a decompressor.</summary>
    internal static void ReturnDecompressor(IntPtr h) => Return(Decompressors, h);

    /// <summary>Returns a compressor.</summary>
    internal static void ReturnCompressor(IntPtr h) => Return(Compressors, h);

    private static IntPtr Rent(ConcurrentBag<IntPtr> bag, bool compress)
    {
        if (bag.TryTake(out var h)) return h;
        IntPtr created;
        try
        {
            created = compress ? TurboJpegNative.tjInitCompress() : TurboJpegNative.tjInitDecompress();
        }
        catch (DllNotFoundException e)
        {
            throw new DllNotFoundException(
                $"{TurboJpegNative.Lib} was not found: install Debian's libturbojpeg0 package (./run setup does)", e);
        }
        if (created == IntPtr.Zero) throw new InvalidOperationException("TurboJPEG could not create a " + (compress ? "compressor" : "decompressor"));
        return created;
    }

    private static void Return(ConcurrentBag<IntPtr> bag, IntPtr h)
    {
        if (bag.Count < MaxPooled) bag.Add(h);
        else TurboJpegNative.tjDestroy(h);
    }
}
