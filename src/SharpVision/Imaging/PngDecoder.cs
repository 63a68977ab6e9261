using SharpVision.Imaging.Native;

namespace SharpVision.Imaging;

/// <summary>
/// PNG → 8-bit RGB through libpng's simplified API. Palette, grayscale and 16-bit images are expanded/reduced by
/// libpng; transparent images are composited on white (as photo viewers show them) so that a transparent
/// background does not turn into arbitrary colours.
/// </summary>
internal static class PngDecoder
{
    internal static unsafe RgbImage Decode(ReadOnlySpan<byte> data, string source, ImageInfo info, ImageDecodeOptions options)
    {
        LibPngNative.PngImage image = default;
        image.Version = LibPngNative.ImageVersion;
        try
        {
            fixed (byte* src = data)
            {
                int ok;
                try
                {
                    ok = LibPngNative.png_image_begin_read_from_memory(&image, src, (nuint)data.Length);
                }
                catch (DllNotFoundException e)
                {
                    throw new DllNotFoundException($"{LibPngNative.Lib} was not found: install Debian's libpng16-16 package", e);
                }
                if (ok == 0) throw new InvalidImageException(source, "corrupt PNG (libpng: " + LibPngNative.Message(&image) + ")");
                if (image.Width != info.Width || image.Height != info.Height)
                    throw new InvalidImageException(source, $"corrupt PNG: header says {info.Width}×{info.Height}, libpng says {image.Width}×{image.Height}");
                ImageHeaderReader.CheckPixelLimit(new ImageInfo(ImageFormat.Png, (int)image.Width, (int)image.Height), source, options);

                var hasAlpha = (image.Format & LibPngNative.FormatFlagAlpha) != 0;
                // 16-bit files without gAMA/sRGB are sRGB-encoded in practice; without this flag libpng treats them
                // as linear and brightens them when reducing to 8 bits.
                image.Flags |= LibPngNative.FlagSixteenBitSrgb;
                image.Format = hasAlpha ? LibPngNative.FormatRgba : LibPngNative.FormatRgb;
                var channels = hasAlpha ? 4 : 3;
                var w = (int)image.Width;
                var h = (int)image.Height;
                var pixels = new byte[checked(w * h * channels)];
                fixed (byte* dst = pixels)
                {
                    if (LibPngNative.png_image_finish_read(&image, null, dst, 0, null) == 0)
                        throw new InvalidImageException(source, "truncated or corrupt PNG (libpng: " + LibPngNative.Message(&image) + ")");
                }
                return hasAlpha ? CompositeOnWhite(pixels, w, h) : new RgbImage(w, h, 3, pixels);
            }
        }
        finally
        {
            LibPngNative.png_image_free(&image);
        }
    }

    /// <summary>RGBA composited on a white background, as photo viewers show transparent images.</summary>
    internal static RgbImage CompositeOnWhite(byte[] rgba, int w, int h)
    {
        var rgb = new byte[w * h * 3];
        for (int i = 0, o = 0; i < rgba.Length; i += 4, o += 3)
        {
            int a = rgba[i + 3], white = 255 * (255 - a);
            rgb[o] = (byte)((rgba[i] * a + white + 127) / 255);
            rgb[o + 1] = (byte)((rgba[i + 1] * a + white + 127) / 255);
            rgb[o + 2] = (byte)((rgba[i + 2] * a + white + 127) / 255);
        }
        return new RgbImage(w, h, 3, rgb);
    }
}
