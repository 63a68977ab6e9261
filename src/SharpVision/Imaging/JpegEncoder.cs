using SharpVision.Imaging.Native;

namespace SharpVision.Imaging;

/// <summary>Chroma subsampling of <see cref="JpegEncoder"/>.</summary>
public enum JpegSubsampling
{
    /// <summary>4:2:0 (smallest files; the usual camera setting).</summary>
    Chroma420 = 0,
    /// <summary>4:4:4 (no chroma subsampling; best colour fidelity).</summary>
    Chroma444 = 1,
}

/// <summary>Writes JPEGs with TurboJPEG (thumbnails, test fixtures, exported samples). Thread-safe.</summary>
public static class JpegEncoder
{
    /// <summary>
    /// Encodes an image (RGB, grayscale, or 4-channel CMYK when <paramref name="cmyk"/> is set; RGBA is rejected) as JPEG.
    /// Quality is 1–100. <paramref name="progressive"/> writes a progressive JPEG.
    /// </summary>
    public static unsafe byte[] Encode(RgbImage image, int quality = 90, JpegSubsampling subsampling = JpegSubsampling.Chroma420,
        bool progressive = false, bool cmyk = false)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (quality is < 1 or > 100) throw new ArgumentOutOfRangeException(nameof(quality), quality, "JPEG quality must be 1–100");
        int format, sampling;
        switch (image.Channels)
        {
            case 1:
                format = TurboJpegNative.PixelFormatGray;
                sampling = TurboJpegNative.SubsamplingGray;
                break;
            case 3 when !cmyk:
                format = TurboJpegNative.PixelFormatRgb;
                sampling = subsampling == JpegSubsampling.Chroma444 ? TurboJpegNative.Subsampling444 : TurboJpegNative.Subsampling420;
                break;
            case 4 when cmyk:
                format = TurboJpegNative.PixelFormatCmyk;
                sampling = subsampling == JpegSubsampling.Chroma444 ? TurboJpegNative.Subsampling444 : TurboJpegNative.Subsampling420;
                break;
            default:
                throw new ArgumentException(cmyk
                    ? $"CMYK encoding needs a 4-channel image, got {image.Channels} channels"
                    : $"JPEG needs a 1- or 3-channel image, got {image.Channels} channels (drop the alpha channel first)", nameof(image));
        }
        var flags = TurboJpegNative.FlagAccurateDct | (progressive ? TurboJpegNative.FlagProgressive : 0);
        var handle = TurboJpegHandlePool.RentCompressor();
        byte* output = null;
        try
        {
            nuint size = 0;
            fixed (byte* src = image.Pixels)
            {
                if (TurboJpegNative.tjCompress2(handle, src, image.Width, 0, image.Height, format, &output, &size, sampling, quality, flags) != 0)
                    throw new InvalidOperationException("JPEG encoding failed: " + TurboJpegNative.ErrorMessage(handle));
            }
            return new ReadOnlySpan<byte>(output, checked((int)size)).ToArray();
        }
        finally
        {
            if (output != null) TurboJpegNative.tjFree(output);
            TurboJpegHandlePool.ReturnCompressor(handle);
        }
    }

    /// <summary>Encodes and writes a JPEG file.</summary>
    public static void Save(RgbImage image, string path, int quality = 90) => File.WriteAllBytes(path, Encode(image, quality));
}
