namespace SharpVision.Imaging;

/// <summary>
/// The file is an image, but in a format SharpVision does not decode (HEIC, AVIF, GIF, TIFF, BMP). A web front end
/// answers 415 with <see cref="FormatName"/>; everything else treats it as any other <see cref="InvalidImageException"/>.
/// </summary>
public sealed class UnsupportedImageFormatException : InvalidImageException
{
    /// <summary>Creates the exception for <paramref name="format"/>, recognised in <paramref name="source"/>.</summary>
    public UnsupportedImageFormatException(string source, ImageFormat format)
        : base(source, $"unsupported format: {ImageHeaderReader.FormatName(format)} (only JPEG, PNG and WebP are decoded)")
    {
        Format = format;
    }

    /// <summary>The recognised format.</summary>
    public ImageFormat Format { get; }

    /// <summary>The format's display name ("HEIC/HEIF", "AVIF", "GIF", "TIFF", "BMP").</summary>
    public string FormatName => ImageHeaderReader.FormatName(Format);
}
