namespace SharpVision.Imaging;

/// <summary>An image container recognised from its first bytes ("magic").</summary>
public enum ImageFormat
{
    /// <summary>Not recognised.</summary>
    Unknown = 0,
    /// <summary>JPEG/JFIF/EXIF (decodable).</summary>
    Jpeg,
    /// <summary>PNG (decodable).</summary>
    Png,
    /// <summary>GIF (recognised, not supported).</summary>
    Gif,
    /// <summary>Windows bitmap (recognised, not supported).</summary>
    Bmp,
    /// <summary>WebP, lossy or lossless (decodable through libwebp).</summary>
    WebP,
    /// <summary>TIFF (recognised, not supported).</summary>
    Tiff,
    /// <summary>HEIF/HEIC (recognised, not supported).</summary>
    Heif,
    /// <summary>AVIF (recognised, not supported).</summary>
    Avif,
}
