using System.Buffers.Binary;

namespace SharpVision.Imaging;

/// <summary>
/// What the decoder needs from a JPEG's marker segments besides the pixels: the EXIF orientation (APP1 "Exif",
/// tag 0x0112) and whether an Adobe APP14 segment is present (Adobe CMYK files store inverted ink values).
/// </summary>
internal readonly record struct JpegMetadata(int Orientation, bool HasAdobeMarker)
{
    /// <summary>Scans segments up to the first scan; malformed metadata is ignored (orientation 1), never fatal.</summary>
    internal static JpegMetadata Read(ReadOnlySpan<byte> d)
    {
        var orientation = 1;
        var adobe = false;
        var pos = 2;
        while (pos + 4 <= d.Length)
        {
            while (pos < d.Length && d[pos] != 0xFF) pos++;
            while (pos < d.Length && d[pos] == 0xFF) pos++;
            if (pos + 2 >= d.Length) break;
            var marker = d[pos++];
            if (marker is 0x01 or (>= 0xD0 and <= 0xD7)) continue;
            if (marker is 0xDA or 0xD9) break;
            int len = BinaryPrimitives.ReadUInt16BigEndian(d.Slice(pos, 2));
            if (len < 2 || pos + len > d.Length) break;
            var body = d.Slice(pos + 2, len - 2);
            if (marker == 0xE1 && body.Length > 6 && body[..6].SequenceEqual("Exif\0\0"u8))
                orientation = ReadExifOrientation(body[6..]);
            else if (marker == 0xEE && body.Length >= 5 && body[..5].SequenceEqual("Adobe"u8))
                adobe = true;
            pos += len;
        }
        return new JpegMetadata(orientation, adobe);
    }

    /// <summary>Tag 0x0112 of IFD0 of a TIFF structure, or 1 when absent or invalid.</summary>
    internal static int ReadExifOrientation(ReadOnlySpan<byte> tiff)
    {
        if (tiff.Length < 8) return 1;
        bool little;
        if (tiff[0] == 'I' && tiff[1] == 'I') little = true;
        else if (tiff[0] == 'M' && tiff[1] == 'M') little = false;
        else return 1;
        if (U16(tiff, little, 2) != 42) return 1;
        var ifd = U32(tiff, little, 4);
        if (ifd > (uint)tiff.Length - 2) return 1;
        int count = U16(tiff, little, (int)ifd);
        for (var i = 0; i < count; i++)
        {
            var e = (int)ifd + 2 + i * 12;
            if (e + 12 > tiff.Length) return 1;
            if (U16(tiff, little, e) != 0x0112) continue;
            if (U16(tiff, little, e + 2) != 3) return 1; // must be SHORT
            int v = U16(tiff, little, e + 8);
            return v is >= 1 and <= 8 ? v : 1;
        }
        return 1;
    }

    private static ushort U16(ReadOnlySpan<byte> d, bool little, int o) =>
        little ? BinaryPrimitives.ReadUInt16LittleEndian(d.Slice(o, 2)) : BinaryPrimitives.ReadUInt16BigEndian(d.Slice(o, 2));

    private static uint U32(ReadOnlySpan<byte> d, bool little, int o) =>
        little ? BinaryPrimitives.ReadUInt32LittleEndian(d.Slice(o, 4)) : BinaryPrimitives.ReadUInt32BigEndian(d.Slice(o, 4));
}
