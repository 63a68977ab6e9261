using SharpVision.Imaging.Native;

namespace SharpVision.Imaging;

/// <summary>Writes WebP files with libwebp (lossy or lossless; test fixtures, exported samples). Thread-safe.</summary>
public static class WebPEncoder
{
    /// <summary>
    /// Encodes an RGB image (3 channels) as lossy WebP at <paramref name="quality"/> (0–100), or losslessly when
    /// <paramref name="quality"/> is null. An RGBA image (4 channels) is always written losslessly with its alpha.
    /// </summary>
    public static unsafe byte[] Encode(RgbImage image, float? quality = 90)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Channels is not (3 or 4)) throw new ArgumentException($"WebP encoding needs an RGB or RGBA image, got {image.Channels} channel(s)", nameof(image));
        if (quality is < 0 or > 100) throw new ArgumentOutOfRangeException(nameof(quality), quality, "WebP quality must be 0–100");
        byte* output = null;
        nuint size;
        try
        {
            fixed (byte* src = image.Pixels)
            {
                var stride = image.Width * image.Channels;
                size = image.Channels == 4 ? LibWebPNative.WebPEncodeLosslessRGBA(src, image.Width, image.Height, stride, &output)
                    : quality is { } q ? LibWebPNative.WebPEncodeRGB(src, image.Width, image.Height, stride, q, &output)
                    : LibWebPNative.WebPEncodeLosslessRGB(src, image.Width, image.Height, stride, &output);
            }
            if (size == 0 || output is null) throw new InvalidOperationException($"libwebp could not encode a {image.Width}×{image.Height} image");
            return new ReadOnlySpan<byte>(output, checked((int)size)).ToArray();
        }
        catch (DllNotFoundException e)
        {
            throw LibWebPNative.Missing(e);
        }
        finally
        {
            if (output is not null) LibWebPNative.WebPFree(output);
        }
    }
}
