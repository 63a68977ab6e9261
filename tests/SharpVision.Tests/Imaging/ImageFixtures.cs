using System.Buffers.Binary;
using System.IO.Compression;
using SharpVision.Imaging;

namespace SharpVision.Tests.Imaging;

/// <summary>Builds real image files for tests: JPEGs through TurboJPEG, PNGs by hand (palette, 16-bit) or with PngEncoder.</summary>
internal static class ImageFixtures
{
    /// <summary>A smooth colour gradient (compresses well, so JPEG round trips stay close).</summary>
    public static RgbImage Gradient(int width, int height, int channels = 3)
    {
        var img = new RgbImage(width, height, channels);
        for (var y = 0; y < height; y++)
        for (var x = 0; x < width; x++)
        for (var c = 0; c < channels; c++)
            img.Pixels[img.Offset(x, y) + c] = (byte)(c switch { 0 => x * 255 / Math.Max(1, width - 1), 1 => y * 255 / Math.Max(1, height - 1), _ => 128 });
        return img;
    }

    /// <summary>An image filled with one colour.</summary>
    public static RgbImage Solid(int width, int height, byte r, byte g, byte b)
    {
        var img = new RgbImage(width, height);
        for (var i = 0; i < width * height; i++) { img.Pixels[i * 3] = r; img.Pixels[i * 3 + 1] = g; img.Pixels[i * 3 + 2] = b; }
        return img;
    }

    /// <summary>Left half red, right half blue.</summary>
    public static RgbImage RedLeftBlueRight(int width, int height)
    {
        var img = new RgbImage(width, height);
        for (var y = 0; y < height; y++)
        for (var x = 0; x < width; x++)
        {
            var o = img.Offset(x, y);
            if (x < width / 2) img.Pixels[o] = 255; else img.Pixels[o + 2] = 255;
        }
        return img;
    }

    /// <summary>A JPEG of <paramref name="image"/> at quality 95, 4:4:4.</summary>
    public static byte[] Jpeg(RgbImage image, bool progressive = false) =>
        JpegEncoder.Encode(image, 95, JpegSubsampling.Chroma444, progressive);

    /// <summary>Inserts an APP1 "Exif" segment with orientation <paramref name="orientation"/> right after SOI.</summary>
    public static byte[] WithExifOrientation(byte[] jpeg, int orientation, bool littleEndian = false)
    {
        var tiff = new byte[8 + 2 + 12 + 4];
        if (littleEndian)
        {
            "II"u8.CopyTo(tiff);
            BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan(2), 42);
            BinaryPrimitives.WriteUInt32LittleEndian(tiff.AsSpan(4), 8);
            BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan(8), 1);
            BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan(10), 0x0112);
            BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan(12), 3);
            BinaryPrimitives.WriteUInt32LittleEndian(tiff.AsSpan(14), 1);
            BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan(18), (ushort)orientation);
        }
        else
        {
            "MM"u8.CopyTo(tiff);
            BinaryPrimitives.WriteUInt16BigEndian(tiff.AsSpan(2), 42);
            BinaryPrimitives.WriteUInt32BigEndian(tiff.AsSpan(4), 8);
            BinaryPrimitives.WriteUInt16BigEndian(tiff.AsSpan(8), 1);
            BinaryPrimitives.WriteUInt16BigEndian(tiff.AsSpan(10), 0x0112);
            BinaryPrimitives.WriteUInt16BigEndian(tiff.AsSpan(12), 3);
            BinaryPrimitives.WriteUInt32BigEndian(tiff.AsSpan(14), 1);
            BinaryPrimitives.WriteUInt16BigEndian(tiff.AsSpan(18), (ushort)orientation);
        }
        var body = "Exif\0\0"u8.ToArray().Concat(tiff).ToArray();
        var segment = new byte[4 + body.Length];
        segment[0] = 0xFF;
        segment[1] = 0xE1;
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), (ushort)(body.Length + 2));
        body.CopyTo(segment, 4);
        return jpeg.Take(2).Concat(segment).Concat(jpeg.Skip(2)).ToArray();
    }

    /// <summary>A PNG built chunk by chunk: IHDR with the given type/depth, optional PLTE/tRNS, one IDAT of raw (filter 0) rows.</summary>
    public static byte[] Png(int width, int height, int bitDepth, int colorType, byte[] rawRowsWithoutFilter, byte[]? palette = null, byte[]? transparency = null)
    {
        using var output = new MemoryStream();
        output.Write(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A });
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = (byte)bitDepth;
        ihdr[9] = (byte)colorType;
        Chunk(output, "IHDR", ihdr);
        if (palette is not null) Chunk(output, "PLTE", palette);
        if (transparency is not null) Chunk(output, "tRNS", transparency);
        var stride = rawRowsWithoutFilter.Length / height;
        using var raw = new MemoryStream();
        using (var z = new ZLibStream(raw, CompressionLevel.Fastest, leaveOpen: true))
        {
            for (var y = 0; y < height; y++)
            {
                z.WriteByte(0);
                z.Write(rawRowsWithoutFilter, y * stride, stride);
            }
        }
        Chunk(output, "IDAT", raw.ToArray());
        Chunk(output, "IEND", Array.Empty<byte>());
        return output.ToArray();
    }

    /// <summary>Just a PNG signature and an IHDR (with a correct checksum) declaring <paramref name="width"/>×<paramref name="height"/>.</summary>
    public static byte[] PngHeaderOnly(int width, int height)
    {
        using var output = new MemoryStream();
        output.Write(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A });
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8;
        ihdr[9] = 2;
        Chunk(output, "IHDR", ihdr);
        return output.ToArray();
    }

    /// <summary>A JPEG whose frame header is patched to declare <paramref name="width"/>×<paramref name="height"/>.</summary>
    public static byte[] JpegDeclaring(int width, int height)
    {
        var jpeg = Jpeg(Gradient(16, 16));
        for (var i = 2; i < jpeg.Length - 9; i++)
        {
            if (jpeg[i] == 0xFF && jpeg[i + 1] == 0xC0)
            {
                BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(i + 5), (ushort)height);
                BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(i + 7), (ushort)width);
                return jpeg;
            }
        }
        throw new InvalidOperationException("no SOF0 in the fixture JPEG");
    }

    private static void Chunk(Stream s, string type, byte[] data)
    {
        var header = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(header, data.Length);
        System.Text.Encoding.ASCII.GetBytes(type).CopyTo(header, 4);
        s.Write(header);
        s.Write(data);
        var crcInput = header.AsSpan(4).ToArray().Concat(data).ToArray();
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, PngEncoder.Crc32(crcInput));
        s.Write(crc);
    }

    /// <summary>Mean absolute difference of two same-size images.</summary>
    public static double MeanAbsDiff(RgbImage a, RgbImage b)
    {
        Assert.Equal((a.Width, a.Height, a.Channels), (b.Width, b.Height, b.Channels));
        long sum = 0;
        for (var i = 0; i < a.Pixels.Length; i++) sum += Math.Abs(a.Pixels[i] - b.Pixels[i]);
        return (double)sum / a.Pixels.Length;
    }

    /// <summary>The RGB triple at (x, y).</summary>
    public static (int R, int G, int B) At(RgbImage img, int x, int y)
    {
        var o = img.Offset(x, y);
        return (img.Pixels[o], img.Pixels[o + 1], img.Pixels[o + 2]);
    }
}
