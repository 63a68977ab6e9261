using System.Runtime.InteropServices;

namespace SharpVision.Imaging.Native;

/// <summary>P/Invoke declarations of libpng 1.6's simplified API (png_image_*; Debian package libpng16-16).</summary>
internal static unsafe partial class LibPngNative
{
    internal const string Lib = "libpng16.so.16";

    internal const uint ImageVersion = 1;           // PNG_IMAGE_VERSION
    internal const uint FormatFlagAlpha = 0x01;     // PNG_FORMAT_FLAG_ALPHA
    internal const uint FormatFlagColor = 0x02;     // PNG_FORMAT_FLAG_COLOR
    internal const uint FormatFlagLinear = 0x04;    // PNG_FORMAT_FLAG_LINEAR
    internal const uint FormatRgb = FormatFlagColor;
    internal const uint FormatRgba = FormatFlagColor | FormatFlagAlpha;
    internal const uint FormatGray = 0;
    internal const uint FormatGrayAlpha = FormatFlagAlpha;
    internal const uint FlagSixteenBitSrgb = 0x04;  // PNG_IMAGE_FLAG_16BIT_sRGB

    /// <summary>png_image (png.h, PNG_IMAGE_VERSION 1): a pointer, six png_uint_32, one png_uint_32 and char[64].</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct PngImage
    {
        public IntPtr Opaque;
        public uint Version;
        public uint Width;
        public uint Height;
        public uint Format;
        public uint Flags;
        public uint ColormapEntries;
        public uint WarningOrError;
        public fixed byte Message[64];
    }

    [LibraryImport(Lib)] internal static partial int png_image_begin_read_from_memory(PngImage* image, byte* memory, nuint size);
    [LibraryImport(Lib)] internal static partial int png_image_finish_read(PngImage* image, byte* background, byte* buffer, int rowStride, byte* colormap);
    [LibraryImport(Lib)] internal static partial void png_image_free(PngImage* image);

    [LibraryImport(Lib)]
    internal static partial int png_image_write_to_memory(PngImage* image, byte* memory, nuint* memoryBytes, int convertTo8Bit,
        byte* buffer, int rowStride, byte* colormap);

    /// <summary>The message libpng left in <paramref name="image"/>.</summary>
    internal static string Message(PngImage* image)
    {
        var s = Marshal.PtrToStringUTF8((IntPtr)image->Message);
        return string.IsNullOrWhiteSpace(s) ? "unknown libpng error" : s;
    }
}
