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

    /// <summary>A description of a rejected upload for the error message.</summary>
    public static string Describe(ReadOnlySpan<byte> data) =>
        data.StartsWith("GIF8"u8) ? "a GIF image"
        : data.Length >= 12 && data.StartsWith("RIFF"u8) && data[8..12].SequenceEqual("WEBP"u8) ? "a WebP image"
        : data.StartsWith("BM"u8) ? "a BMP image"
        : data.StartsWith("%PDF"u8) ? "a PDF document"
        : data.Length >= 12 && data[4..8].SequenceEqual("ftyp"u8) ? "an HEIC/MP4 file"
        : $"not an image (starts with {Convert.ToHexString(data[..Math.Min(4, data.Length)])})";

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
