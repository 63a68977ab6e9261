using System.Runtime.InteropServices;

namespace SharpVision.Imaging.Native;

/// <summary>P/Invoke declarations of libwebp's simple decoding and encoding API (Debian package libwebp7).</summary>
internal static unsafe partial class LibWebPNative
{
    internal const string Lib = "libwebp.so.7";

    [LibraryImport(Lib)] internal static partial int WebPGetInfo(byte* data, nuint dataSize, int* width, int* height);

    [LibraryImport(Lib)]
    internal static partial byte* WebPDecodeRGBAInto(byte* data, nuint dataSize, byte* outputBuffer, nuint outputBufferSize, int outputStride);

    [LibraryImport(Lib)] internal static partial nuint WebPEncodeRGB(byte* rgb, int width, int height, int stride, float qualityFactor, byte** output);

    [LibraryImport(Lib)] internal static partial nuint WebPEncodeLosslessRGB(byte* rgb, int width, int height, int stride, byte** output);

    [LibraryImport(Lib)] internal static partial nuint WebPEncodeLosslessRGBA(byte* rgba, int width, int height, int stride, byte** output);

    [LibraryImport(Lib)] internal static partial void WebPFree(void* ptr);

    /// <summary>The message for a missing libwebp.</summary>
    internal static DllNotFoundException Missing(DllNotFoundException e) => new($"{Lib} was not found: install Debian's libwebp7 package", e);
}
