using System.Collections.Concurrent;
using SharpVision.Imaging.Native;

namespace SharpVision.Imaging;

/// <summary>
/// TurboJPEG handles. A handle must not be used by two threads at once, so each call rents one. Decompressors are
/// pooled (creating one costs more than decoding a small thumbnail); at most <see cref="MaxPooled"/> idle ones are
/// kept and extra ones are destroyed on return.
/// </summary>
internal static class TurboJpegHandlePool
{
    private static readonly int MaxPooled = Math.Max(4, Environment.ProcessorCount * 2);
    private static readonly ConcurrentBag<IntPtr> Decompressors = new();

    /// <summary>Rents a decompressor.</summary>
    internal static IntPtr RentDecompressor() => Decompressors.TryTake(out var h) ? h : Create(compress: false);

    /// <summary>
    /// Creates a compressor. Compressors are never pooled: TurboJPEG 2.1.5 carries settings (progressive scans,
    /// CMYK colourspace) over to the next compression on the same handle and then writes corrupt baseline files.
    /// </summary>
    internal static IntPtr RentCompressor() => Create(compress: true);

    /// <summary>
    /// Returns a decompressor. A handle that reported an error or warning is destroyed instead: TurboJPEG 2.1 keeps
    /// the warning flag of a handle set, so every later call on it would fail with the stale message.
    /// </summary>
    internal static void ReturnDecompressor(IntPtr h, bool failed)
    {
        if (!failed && Decompressors.Count < MaxPooled) Decompressors.Add(h);
        else TurboJpegNative.tjDestroy(h);
    }

    /// <summary>Destroys a compressor (see <see cref="RentCompressor"/>).</summary>
    internal static void ReturnCompressor(IntPtr h) => TurboJpegNative.tjDestroy(h);

    private static IntPtr Create(bool compress)
    {
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
}
