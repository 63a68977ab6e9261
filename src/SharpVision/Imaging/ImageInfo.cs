namespace SharpVision.Imaging;

/// <summary>What the header of an image says: container format and pixel size (read without decoding the pixels).</summary>
/// <param name="Format">The container format.</param>
/// <param name="Width">Width in pixels as stored (before any EXIF rotation).</param>
/// <param name="Height">Height in pixels as stored (before any EXIF rotation).</param>
public readonly record struct ImageInfo(ImageFormat Format, int Width, int Height)
{
    /// <summary>Width × height.</summary>
    public long Pixels => (long)Width * Height;
}
