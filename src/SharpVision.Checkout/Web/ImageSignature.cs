using SharpVision.Imaging;

namespace SharpVision.Checkout;

/// <summary>Recognises an upload's format from its first bytes (never from the client's file name or content type).</summary>
internal static class ImageSignature
{
    /// <summary>"jpeg", "png" or "webp" for accepted formats, null otherwise.</summary>
    public static string? Accepted(ReadOnlySpan<byte> data) =>
        data.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]) ? "jpeg"
        : data.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) ? "png"
        : data.Length >= 12 && data.StartsWith("RIFF"u8) && data[8..12].SequenceEqual("WEBP"u8) ? "webp"
        : null;

    /// <summary>A description of a rejected upload for the error message: the format's name when it is an image we cannot read.</summary>
    public static string Describe(ReadOnlySpan<byte> data) => ImageDecoder.DetectFormat(data) switch
    {
        ImageFormat.Gif => "a GIF image",
        ImageFormat.Bmp => "a BMP image",
        ImageFormat.Tiff => "a TIFF image",
        ImageFormat.Heif => "a HEIC/HEIF photo (set the phone camera to 'Most Compatible' or share it as JPEG)",
        ImageFormat.Avif => "an AVIF image",
        _ when data.StartsWith("%PDF"u8) => "a PDF document",
        _ when data.Length >= 12 && data[4..8].SequenceEqual("ftyp"u8) => "an MP4/QuickTime file",
        _ => $"not an image (starts with {Convert.ToHexString(data[..Math.Min(4, data.Length)])})",
    };

    /// <summary>What the customer is asked to send instead.</summary>
    public const string AcceptedFormats = "please send a JPEG, PNG or WebP photo";

    /// <summary>The client's file name reduced to a safe label for messages: no directories, no control characters, bounded.</summary>
    public static string SafeName(string? fileName)
    {
        if (string.IsNullOrWhiteSpace(fileName)) return "upload";
        var name = fileName[(fileName.LastIndexOfAny(['/', '\\']) + 1)..];
        name = new string(name.Where(c => !char.IsControl(c)).ToArray()).Trim();
        if (name.Length > 80) name = name[..80];
        return name.Length == 0 ? "upload" : name;
    }
}
