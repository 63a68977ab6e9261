namespace SharpVision.Imaging;

/// <summary>
/// Decodes JPEG (TurboJPEG), PNG (libpng) and WebP (libwebp) into 8-bit RGB <see cref="RgbImage"/>s. Every failure is an
/// <see cref="InvalidImageException"/> naming the source and the reason (empty, truncated, corrupt, unsupported
/// format, not an image, too many pixels). Sizes are checked from the header before pixel memory is allocated.
/// Thread-safe.
/// </summary>
public static class ImageDecoder
{
    /// <summary>How much of a file <see cref="ReadInfoFile"/> reads first; JPEG frame headers almost always come earlier.</summary>
    private const int HeaderProbeBytes = 64 * 1024;

    /// <summary>The container announced by the first bytes (magic), without validating anything else.</summary>
    public static ImageFormat DetectFormat(ReadOnlySpan<byte> data) => ImageHeaderReader.Sniff(data);

    /// <summary>Decodes an in-memory JPEG, PNG or WebP into 3-channel RGB. <paramref name="source"/> names it in errors.</summary>
    public static RgbImage Decode(ReadOnlySpan<byte> data, string source, ImageDecodeOptions? options = null)
    {
        options ??= ImageDecodeOptions.Default;
        var info = ImageHeaderReader.Read(data, source, options, isComplete: true, out _);
        return info.Format switch
        {
            ImageFormat.Jpeg => JpegDecoder.Decode(data, source, info, options),
            ImageFormat.WebP => WebPDecoder.Decode(data, source, info, options),
            _ => PngDecoder.Decode(data, source, info, options),
        };
    }

    /// <summary>Reads and decodes an image file (see <see cref="Decode"/>); a missing or unreadable file is also an <see cref="InvalidImageException"/>.</summary>
    public static RgbImage DecodeFile(string path, ImageDecodeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Decode(ReadAll(path), path, options);
    }

    /// <summary>
    /// Format and size of an in-memory JPEG, PNG or WebP from its header, without decoding. Throws
    /// <see cref="InvalidImageException"/> for empty, unrecognised, unsupported, malformed or oversized images.
    /// </summary>
    public static ImageInfo ReadInfo(ReadOnlySpan<byte> data, string source, ImageDecodeOptions? options = null) =>
        ImageHeaderReader.Read(data, source, options ?? ImageDecodeOptions.Default, isComplete: true, out _);

    /// <summary>
    /// Format and size of an image file from its header, reading only the first 64 KiB unless a JPEG's frame header
    /// lies further (large EXIF thumbnails). Same errors as <see cref="ReadInfo"/>.
    /// </summary>
    public static ImageInfo ReadInfoFile(string path, ImageDecodeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        options ??= ImageDecodeOptions.Default;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.None);
            var length = stream.Length;
            var probe = new byte[(int)Math.Min(length, HeaderProbeBytes)];
            stream.ReadExactly(probe);
            var info = ImageHeaderReader.Read(probe, path, options, isComplete: probe.Length == length, out var needMore);
            if (!needMore) return info;
            if (length > int.MaxValue) throw new InvalidImageException(path, $"file too large ({length:N0} bytes)");
            var all = new byte[length];
            probe.CopyTo(all, 0);
            stream.ReadExactly(all.AsSpan(probe.Length));
            return ImageHeaderReader.Read(all, path, options, isComplete: true, out _);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidImageException(path, DescribeIoError(e), e);
        }
    }

    /// <summary>The bytes of a file, with I/O failures reported as <see cref="InvalidImageException"/>.</summary>
    internal static byte[] ReadAll(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidImageException(path, DescribeIoError(e), e);
        }
    }

    private static string DescribeIoError(Exception e) => e switch
    {
        FileNotFoundException or DirectoryNotFoundException => "file not found",
        UnauthorizedAccessException => "permission denied",
        _ => "cannot read file: " + e.Message,
    };
}
