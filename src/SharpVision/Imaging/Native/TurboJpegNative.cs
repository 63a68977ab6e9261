using System.Runtime.InteropServices;

namespace SharpVision.Imaging.Native;

/// <summary>P/Invoke declarations of libjpeg-turbo's TurboJPEG 2.1 API (Debian package libturbojpeg0).</summary>
internal static unsafe partial class TurboJpegNative
{
    internal const string Lib = "libturbojpeg.so.0";

    // Pixel formats (TJPF), colourspaces (TJCS), subsampling (TJSAMP), flags (TJFLAG) and error codes (TJERR) of turbojpeg.h.
    internal const int PixelFormatRgb = 0;
    internal const int PixelFormatGray = 6;
    internal const int PixelFormatCmyk = 11;
    internal const int ColorspaceGray = 2;
    internal const int ColorspaceCmyk = 3;
    internal const int ColorspaceYcck = 4;
    internal const int Subsampling444 = 0;
    internal const int Subsampling420 = 2;
    internal const int SubsamplingGray = 3;
    internal const int FlagAccurateDct = 4096;
    internal const int FlagProgressive = 16384;
    internal const int ErrorWarning = 0;

    [LibraryImport(Lib)] internal static partial IntPtr tjInitDecompress();
    [LibraryImport(Lib)] internal static partial IntPtr tjInitCompress();
    [LibraryImport(Lib)] internal static partial int tjDestroy(IntPtr handle);

    [LibraryImport(Lib)]
    internal static partial int tjDecompressHeader3(IntPtr handle, byte* jpegBuf, nuint jpegSize, out int width, out int height,
        out int subsampling, out int colorspace);

    [LibraryImport(Lib)]
    internal static partial int tjDecompress2(IntPtr handle, byte* jpegBuf, nuint jpegSize, byte* dstBuf, int width, int pitch,
        int height, int pixelFormat, int flags);

    [LibraryImport(Lib)]
    internal static partial int tjCompress2(IntPtr handle, byte* srcBuf, int width, int pitch, int height, int pixelFormat,
        byte** jpegBuf, nuint* jpegSize, int subsampling, int quality, int flags);

    [LibraryImport(Lib)] internal static partial void tjFree(byte* buffer);
    [LibraryImport(Lib)] internal static partial IntPtr tjGetErrorStr2(IntPtr handle);
    [LibraryImport(Lib)] internal static partial int tjGetErrorCode(IntPtr handle);

    /// <summary>The last error message of <paramref name="handle"/>.</summary>
    internal static string ErrorMessage(IntPtr handle) => Marshal.PtrToStringUTF8(tjGetErrorStr2(handle)) ?? "unknown TurboJPEG error";
}
