using SharpVision.Imaging.Native;

namespace SharpVision.Imaging;

/// <summary>
/// JPEG → 8-bit RGB through TurboJPEG: baseline, progressive, grayscale and CMYK/YCCK, EXIF orientation applied, optionally
/// scaled down while decoding (<see cref="ImageDecodeOptions.TargetSize"/>).
/// </summary>
internal static class JpegDecoder
{
    internal static unsafe RgbImage Decode(ReadOnlySpan<byte> data, string source, ImageInfo info, ImageDecodeOptions options)
    {
        var handle = TurboJpegHandlePool.RentDecompressor();
        var failed = false;
        try
        {
            fixed (byte* src = data)
            {
                if (TurboJpegNative.tjDecompressHeader3(handle, src, (nuint)data.Length, out var w, out var h, out _, out var colorspace) != 0)
                {
                    failed = true;
                    throw new InvalidImageException(source, "corrupt JPEG header (libjpeg: " + TurboJpegNative.ErrorMessage(handle) + ")");
                }
                // The header parser and libjpeg must agree, otherwise the pixel-limit check could be bypassed.
                ImageHeaderReader.CheckPixelLimit(new ImageInfo(ImageFormat.Jpeg, w, h), source, options);
                if (w != info.Width || h != info.Height)
                    throw new InvalidImageException(source, $"corrupt JPEG: frame header says {info.Width}×{info.Height}, libjpeg says {w}×{h}");

                var cmyk = colorspace is TurboJpegNative.ColorspaceCmyk or TurboJpegNative.ColorspaceYcck;
                var channels = cmyk ? 4 : 3;
                // Scale-on-decode: libjpeg skips the high DCT frequencies, so a 1/8 decode costs a fraction of a full one.
                (w, h) = ScaledSize(w, h, options.TargetSize);
                var pixels = new byte[checked(w * h * channels)];
                fixed (byte* dst = pixels)
                {
                    var format = cmyk ? TurboJpegNative.PixelFormatCmyk : TurboJpegNative.PixelFormatRgb;
                    if (TurboJpegNative.tjDecompress2(handle, src, (nuint)data.Length, dst, w, 0, h, format, 0) != 0)
                    {
                        failed = true;
                        ThrowDecodeError(handle, source, options);
                    }
                }
                var meta = JpegMetadata.Read(data);
                var image = cmyk ? CmykToRgb(pixels, w, h, inverted: meta.HasAdobeMarker) : new RgbImage(w, h, 3, pixels);
                return options.ApplyExifOrientation ? ExifOrientation.Apply(image, meta.Orientation) : image;
            }
        }
        finally
        {
            TurboJpegHandlePool.ReturnDecompressor(handle, failed);
        }
    }

    /// <summary>
    /// The decoded size at the smallest scale k/8 (k = 1…8, TurboJPEG's TJSCALED rounding up) whose shorter side is at
    /// least <paramref name="target"/>; the full size without a target or when even 8/8 is smaller.
    /// </summary>
    internal static (int Width, int Height) ScaledSize(int width, int height, int? target)
    {
        if (target is not { } t || t <= 0) return (width, height);
        for (var k = 1; k < 8; k++)
        {
            int sw = (width * k + 7) / 8, sh = (height * k + 7) / 8;
            if (Math.Min(sw, sh) >= t) return (sw, sh);
        }
        return (width, height);
    }

    private static void ThrowDecodeError(IntPtr handle, string source, ImageDecodeOptions options)
    {
        var message = TurboJpegNative.ErrorMessage(handle);
        var warning = TurboJpegNative.tjGetErrorCode(handle) == TurboJpegNative.ErrorWarning;
        // libjpeg pads a truncated scan with grey and only warns; a silently grey-bottomed photo is worse than a skip.
        if (message.Contains("Premature end", StringComparison.OrdinalIgnoreCase))
            throw new InvalidImageException(source, $"truncated JPEG (libjpeg: {message})");
        if (warning && options.TolerateJpegWarnings) return;
        throw new InvalidImageException(source, warning
            ? $"corrupt JPEG data (libjpeg warning: {message}; set ImageDecodeOptions.TolerateJpegWarnings to accept such files)"
            : $"corrupt JPEG (libjpeg: {message})");
    }

    /// <summary>
    /// Naive CMYK → RGB (no colour management): R = (1−C)(1−K). Adobe files (APP14) store inverted inks, which
    /// TurboJPEG returns as stored, so there R = C'·K'.
    /// </summary>
    private static RgbImage CmykToRgb(byte[] cmyk, int w, int h, bool inverted)
    {
        var rgb = new byte[w * h * 3];
        for (int i = 0, o = 0; i < cmyk.Length; i += 4, o += 3)
        {
            int c = cmyk[i], m = cmyk[i + 1], y = cmyk[i + 2], k = cmyk[i + 3];
            if (!inverted) { c = 255 - c; m = 255 - m; y = 255 - y; k = 255 - k; }
            rgb[o] = (byte)((c * k + 127) / 255);
            rgb[o + 1] = (byte)((m * k + 127) / 255);
            rgb[o + 2] = (byte)((y * k + 127) / 255);
        }
        return new RgbImage(w, h, 3, rgb);
    }
}
