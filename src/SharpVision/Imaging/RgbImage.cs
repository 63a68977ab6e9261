namespace SharpVision.Imaging;

/// <summary>A decoded 8-bit image with interleaved channels (row-major H×W×C; C = 3 for RGB, 1 for gray, 4 for RGBA).</summary>
public sealed class RgbImage
{
    /// <summary>Creates an image over existing pixels (not copied).</summary>
    public RgbImage(int width, int height, int channels, byte[] pixels)
    {
        if (width <= 0 || height <= 0) throw new ArgumentException($"image size must be positive, got {width}×{height}");
        if (channels is not (1 or 3 or 4)) throw new ArgumentException($"channels must be 1, 3 or 4, got {channels}");
        if (pixels.Length != (long)width * height * channels)
            throw new ArgumentException($"{width}×{height}×{channels} needs {(long)width * height * channels} bytes, got {pixels.Length}");
        Width = width;
        Height = height;
        Channels = channels;
        Pixels = pixels;
    }

    /// <summary>Creates a black image.</summary>
    public RgbImage(int width, int height, int channels = 3) : this(width, height, channels, new byte[(long)width * height * channels]) { }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>Channels per pixel.</summary>
    public int Channels { get; }

    /// <summary>The pixels, row by row, channels interleaved.</summary>
    public byte[] Pixels { get; }

    /// <summary>Byte offset of pixel (x, y).</summary>
    public int Offset(int x, int y) => (y * Width + x) * Channels;
}
