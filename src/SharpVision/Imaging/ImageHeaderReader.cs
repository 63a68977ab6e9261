using System.Buffers.Binary;
using System.Text;

namespace SharpVision.Imaging;

/// <summary>
/// Recognises image containers by their magic bytes and reads JPEG/PNG dimensions from the header without decoding,
/// so that broken, unsupported or oversized files are rejected before any pixel memory is allocated.
/// </summary>
internal static class ImageHeaderReader
{
    private static readonly byte[] PngSignature = { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A };

    /// <summary>The container the first bytes announce.</summary>
    internal static ImageFormat Sniff(ReadOnlySpan<byte> d)
    {
        if (d.Length >= 3 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF) return ImageFormat.Jpeg;
        if (d.Length >= 8 && d[..8].SequenceEqual(PngSignature)) return ImageFormat.Png;
        if (d.Length >= 6 && (d[..6].SequenceEqual("GIF87a"u8) || d[..6].SequenceEqual("GIF89a"u8))) return ImageFormat.Gif;
        if (d.Length >= 12 && d[..4].SequenceEqual("RIFF"u8) && d.Slice(8, 4).SequenceEqual("WEBP"u8)) return ImageFormat.WebP;
        if (d.Length >= 4 && (d[..4].SequenceEqual("II*\0"u8) || d[..4].SequenceEqual("MM\0*"u8))) return ImageFormat.Tiff;
        if (d.Length >= 12 && d.Slice(4, 4).SequenceEqual("ftyp"u8))
        {
            var brand = d.Slice(8, 4);
            if (brand.SequenceEqual("avif"u8) || brand.SequenceEqual("avis"u8)) return ImageFormat.Avif;
            if (brand.SequenceEqual("heic"u8) || brand.SequenceEqual("heix"u8) || brand.SequenceEqual("mif1"u8) ||
                brand.SequenceEqual("msf1"u8) || brand.SequenceEqual("hevc"u8) || brand.SequenceEqual("heim"u8) || brand.SequenceEqual("heis"u8))
                return ImageFormat.Heif;
        }
        // "BM" plus a plausible DIB header size keeps text files starting with "BM" from being called bitmaps.
        if (d.Length >= 18 && d[0] == (byte)'B' && d[1] == (byte)'M' && BinaryPrimitives.ReadUInt32LittleEndian(d.Slice(14, 4)) is 12 or 40 or 52 or 56 or 64 or 108 or 124)
            return ImageFormat.Bmp;
        return ImageFormat.Unknown;
    }

    /// <summary>
    /// Format and size of a decodable image; throws <see cref="InvalidImageException"/> for anything else. When
    /// <paramref name="isComplete"/> is false the span is only the start of the file and a missing JPEG frame header
    /// is reported through <paramref name="needMore"/> instead of as an error.
    /// </summary>
    internal static ImageInfo Read(ReadOnlySpan<byte> d, string source, ImageDecodeOptions options, bool isComplete, out bool needMore)
    {
        needMore = false;
        if (d.Length == 0) throw new InvalidImageException(source, "empty file (0 bytes)");
        var format = Sniff(d);
        ImageInfo info;
        switch (format)
        {
            case ImageFormat.Jpeg:
                if (!TryReadJpeg(d, source, out info))
                {
                    if (!isComplete) { needMore = true; return default; }
                    throw new InvalidImageException(source, $"truncated JPEG: no frame header (SOF) in its {d.Length} bytes");
                }
                break;
            case ImageFormat.Png:
                info = ReadPng(d, source);
                break;
            case ImageFormat.WebP:
                info = ReadWebP(d, source);
                break;
            case ImageFormat.Unknown:
                throw new InvalidImageException(source, DescribeUnknown(d));
            default:
                throw new UnsupportedImageFormatException(source, format);
        }
        CheckPixelLimit(info, source, options);
        return info;
    }

    /// <summary>Rejects images above <see cref="ImageDecodeOptions.MaxPixels"/>.</summary>
    internal static void CheckPixelLimit(ImageInfo info, string source, ImageDecodeOptions options)
    {
        if (info.Pixels > options.MaxPixels)
            throw new InvalidImageException(source,
                $"decompression bomb? the header declares {info.Width}×{info.Height} = {info.Pixels:N0} pixels, above the limit of " +
                $"{options.MaxPixels:N0}; raise ImageDecodeOptions.MaxPixels if the image is genuine");
    }

    /// <summary>The display name of a format ("GIF", "WebP").</summary>
    internal static string FormatName(ImageFormat f) => f switch
    {
        ImageFormat.Jpeg => "JPEG",
        ImageFormat.Png => "PNG",
        ImageFormat.Gif => "GIF",
        ImageFormat.Bmp => "BMP",
        ImageFormat.WebP => "WebP",
        ImageFormat.Tiff => "TIFF",
        ImageFormat.Heif => "HEIC/HEIF",
        ImageFormat.Avif => "AVIF",
        _ => "unknown",
    };

    private static string DescribeUnknown(ReadOnlySpan<byte> d)
    {
        if (LooksLikeText(d)) return "not an image (text?): the file starts with \"" + Printable(d) + "\"";
        var n = Math.Min(8, d.Length);
        var hex = Convert.ToHexString(d[..n]);
        var spaced = string.Join(' ', Enumerable.Range(0, n).Select(i => hex.Substring(i * 2, 2)));
        if (d.Length >= 2 && d[0] == 0xFF && d[1] == 0xD8) return $"corrupt JPEG: start-of-image marker not followed by a marker (first bytes {spaced})";
        if (d.Length < 8 && d.SequenceEqual(PngSignature.AsSpan(0, d.Length))) return $"truncated PNG: only {d.Length} bytes";
        return $"unrecognised format (first bytes {spaced}); only JPEG, PNG and WebP are decoded";
    }

    private static bool LooksLikeText(ReadOnlySpan<byte> d)
    {
        var n = Math.Min(d.Length, 1024);
        var prefix = d[..n];
        if (prefix.StartsWith((ReadOnlySpan<byte>)new byte[] { 0xEF, 0xBB, 0xBF })) return true;
        foreach (var b in prefix)
            if (b == 0 || (b < 0x20 && b is not ((byte)'\t' or (byte)'\n' or (byte)'\r' or 0x0C))) return false;
        // Allow a multi-byte character cut at the end of the prefix.
        var cut = n == d.Length ? prefix : prefix[..Math.Max(0, n - 3)];
        try { _ = new UTF8Encoding(false, true).GetCharCount(cut); return true; }
        catch (DecoderFallbackException) { return false; }
    }

    private static string Printable(ReadOnlySpan<byte> d)
    {
        var s = Encoding.UTF8.GetString(d[..Math.Min(d.Length, 24)]);
        var sb = new StringBuilder();
        foreach (var c in s) sb.Append(char.IsControl(c) ? ' ' : c);
        return sb.ToString().Trim() + (d.Length > 24 ? "…" : "");
    }

    private static ImageInfo ReadPng(ReadOnlySpan<byte> d, string source)
    {
        if (d.Length < 33) throw new InvalidImageException(source, $"truncated PNG: {d.Length} bytes, shorter than a PNG header");
        var length = BinaryPrimitives.ReadUInt32BigEndian(d.Slice(8, 4));
        if (length != 13 || !d.Slice(12, 4).SequenceEqual("IHDR"u8))
            throw new InvalidImageException(source, "corrupt PNG: the first chunk is not a 13-byte IHDR");
        var crc = BinaryPrimitives.ReadUInt32BigEndian(d.Slice(29, 4));
        if (crc != Crc32(d.Slice(12, 17))) throw new InvalidImageException(source, "corrupt PNG: IHDR checksum mismatch");
        var w = BinaryPrimitives.ReadUInt32BigEndian(d.Slice(16, 4));
        var h = BinaryPrimitives.ReadUInt32BigEndian(d.Slice(20, 4));
        if (w == 0 || h == 0 || w > int.MaxValue || h > int.MaxValue)
            throw new InvalidImageException(source, $"corrupt PNG: invalid size {w}×{h}");
        int bitDepth = d[24], colorType = d[25];
        var valid = colorType switch
        {
            0 => bitDepth is 1 or 2 or 4 or 8 or 16,
            3 => bitDepth is 1 or 2 or 4 or 8,
            2 or 4 or 6 => bitDepth is 8 or 16,
            _ => false,
        };
        if (!valid) throw new InvalidImageException(source, $"corrupt PNG: invalid bit depth {bitDepth} for colour type {colorType}");
        return new ImageInfo(ImageFormat.Png, (int)w, (int)h);
    }

    /// <summary>
    /// The canvas size of a WebP from its first chunk: VP8 (lossy key frame), VP8L (lossless) or VP8X (extended, e.g.
    /// with alpha or EXIF). Read here so that the pixel limit applies before libwebp allocates anything.
    /// </summary>
    private static ImageInfo ReadWebP(ReadOnlySpan<byte> d, string source)
    {
        if (d.Length < 30) throw new InvalidImageException(source, $"truncated WebP: {d.Length} bytes, shorter than a WebP header");
        var chunk = d.Slice(12, 4);
        int w, h;
        if (chunk.SequenceEqual("VP8 "u8))
        {
            if (d[23] != 0x9D || d[24] != 0x01 || d[25] != 0x2A) throw new InvalidImageException(source, "corrupt WebP: lossy frame without its start code");
            w = BinaryPrimitives.ReadUInt16LittleEndian(d.Slice(26, 2)) & 0x3FFF;
            h = BinaryPrimitives.ReadUInt16LittleEndian(d.Slice(28, 2)) & 0x3FFF;
        }
        else if (chunk.SequenceEqual("VP8L"u8))
        {
            if (d[20] != 0x2F) throw new InvalidImageException(source, "corrupt WebP: lossless stream without its signature");
            var bits = BinaryPrimitives.ReadUInt32LittleEndian(d.Slice(21, 4));
            w = (int)(bits & 0x3FFF) + 1;
            h = (int)((bits >> 14) & 0x3FFF) + 1;
        }
        else if (chunk.SequenceEqual("VP8X"u8))
        {
            w = (d[24] | d[25] << 8 | d[26] << 16) + 1;
            h = (d[27] | d[28] << 8 | d[29] << 16) + 1;
        }
        else throw new InvalidImageException(source, $"corrupt WebP: unknown first chunk '{Printable(chunk)}'");
        if (w == 0 || h == 0) throw new InvalidImageException(source, $"corrupt WebP: invalid size {w}×{h}");
        return new ImageInfo(ImageFormat.WebP, w, h);
    }

    /// <summary>Walks JPEG marker segments up to the frame header; false when the data ends first.</summary>
    private static bool TryReadJpeg(ReadOnlySpan<byte> d, string source, out ImageInfo info)
    {
        info = default;
        var pos = 2;
        while (true)
        {
            // Markers may be preceded by any number of 0xFF fill bytes.
            while (pos < d.Length && d[pos] != 0xFF) pos++; // tolerate junk between segments (libjpeg warns, decodes)
            while (pos < d.Length && d[pos] == 0xFF) pos++;
            if (pos >= d.Length) return false;
            var marker = d[pos++];
            if (marker is 0x01 or (>= 0xD0 and <= 0xD7)) continue; // stand-alone markers
            if (marker == 0xD9) throw new InvalidImageException(source, "corrupt JPEG: end-of-image marker before any frame header");
            if (marker == 0xDA) throw new InvalidImageException(source, "corrupt JPEG: scan data before the frame header");
            if (pos + 2 > d.Length) return false;
            int len = BinaryPrimitives.ReadUInt16BigEndian(d.Slice(pos, 2));
            if (len < 2) throw new InvalidImageException(source, $"corrupt JPEG: segment 0xFF{marker:X2} has invalid length {len}");
            if (IsStartOfFrame(marker))
            {
                if (pos + 8 > d.Length) return false;
                int h = BinaryPrimitives.ReadUInt16BigEndian(d.Slice(pos + 3, 2));
                int w = BinaryPrimitives.ReadUInt16BigEndian(d.Slice(pos + 5, 2));
                int components = d[pos + 7];
                if (w == 0 || h == 0) throw new InvalidImageException(source, $"corrupt or unsupported JPEG: frame size {w}×{h}");
                if (components is not (1 or 3 or 4)) throw new InvalidImageException(source, $"unsupported JPEG: {components} colour components");
                if (marker is 0xC3 or 0xC5 or 0xC6 or 0xC7 or 0xCB or 0xCD or 0xCE or 0xCF)
                    throw new InvalidImageException(source, $"unsupported JPEG: lossless or hierarchical coding (SOF 0xFF{marker:X2})");
                info = new ImageInfo(ImageFormat.Jpeg, w, h);
                return true;
            }
            pos += len;
        }
    }

    private static bool IsStartOfFrame(byte m) => m is >= 0xC0 and <= 0xCF && m is not (0xC4 or 0xC8 or 0xCC);

    private static uint Crc32(ReadOnlySpan<byte> data) => PngEncoder.Crc32(data);
}
