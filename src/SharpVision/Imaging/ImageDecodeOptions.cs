namespace SharpVision.Imaging;

/// <summary>Limits and behaviour of <see cref="ImageDecoder"/>.</summary>
public sealed record ImageDecodeOptions
{
    /// <summary>The default pixel limit: 64 megapixels (an 8000×8000 photo fits; a decompression bomb does not).</summary>
    public const long DefaultMaxPixels = 64L * 1024 * 1024;

    /// <summary>The shared default options.</summary>
    public static ImageDecodeOptions Default { get; } = new();

    /// <summary>
    /// Images whose header declares more pixels than this are rejected before any pixel memory is allocated
    /// (decompression-bomb guard).
    /// </summary>
    public long MaxPixels { get; init; } = DefaultMaxPixels;

    /// <summary>
    /// When set, JPEGs are decoded with libjpeg's DCT scaling (1/8, 2/8 … 8/8) at the smallest scale whose shorter side is
    /// still at least this many pixels: a 12-megapixel phone photo for a 224-pixel model decodes at 1/8 (504×378) in a
    /// fraction of the time and memory. Null (default) decodes at full size. Other formats always decode at full size.
    /// </summary>
    public int? TargetSize { get; init; }

    /// <summary>Rotate/flip JPEGs as their EXIF orientation tag (0x0112) says, as photo viewers do. Default true.</summary>
    public bool ApplyExifOrientation { get; init; } = true;

    /// <summary>
    /// Accept JPEGs for which libjpeg only reported a recoverable warning other than a premature end of data (for
    /// example extraneous bytes before a marker). Default false: such files are reported as corrupt. Truncated
    /// JPEGs are always rejected.
    /// </summary>
    public bool TolerateJpegWarnings { get; init; }
}
