using SharpVision.Imaging.Native;

namespace SharpVision.Imaging;

/// <summary>WebP (lossy, lossless, with or without alpha) → 8-bit RGB through libwebp; transparency is composited on white.</summary>
internal static class WebPDecoder
{
    internal static unsafe RgbImage Decode(ReadOnlySpan<byte> data, string source, ImageInfo info, ImageDecodeOptions options)
    {
        fixed (byte* src = data)
        {
            int w, h;
            try
            {
                if (LibWebPNative.WebPGetInfo(src, (nuint)data.Length, &w, &h) == 0)
                    throw new InvalidImageException(source, "corrupt WebP (libwebp cannot read its header)");
            }
            catch (DllNotFoundException e)
            {
                throw LibWebPNative.Missing(e);
            }
            // The header parser and libwebp must agree, otherwise the pixel-limit check could be bypassed.
            if (w != info.Width || h != info.Height)
                throw new InvalidImageException(source, $"corrupt WebP: header says {info.Width}×{info.Height}, libwebp says {w}×{h}");
            ImageHeaderReader.CheckPixelLimit(new ImageInfo(ImageFormat.WebP, w, h), source, options);
            var rgba = new byte[checked(w * h * 4)];
            fixed (byte* dst = rgba)
            {
                if (LibWebPNative.WebPDecodeRGBAInto(src, (nuint)data.Length, dst, (nuint)rgba.Length, w * 4) is null)
                    throw new InvalidImageException(source, "truncated or corrupt WebP (libwebp could not decode it)");
            }
            return PngDecoder.CompositeOnWhite(rgba, w, h);
        }
    }
}
