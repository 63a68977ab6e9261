using System.Buffers.Binary;
using System.IO.Compression;
using SharpVision.Imaging;

namespace SharpVision.Tests.Checkout;

/// <summary>Photos the checkout tests upload: solid-colour PNGs (the fake classifier keys on their mean colour) and broken files.</summary>
internal static class TestImages
{
    public static readonly (byte R, byte G, byte B) Donut = (150, 90, 40);
    public static readonly (byte R, byte G, byte B) Cheesecake = (240, 220, 170);
    /// <summary>Exactly between the donut and pancake colours: the fake gives each about 50%.</summary>
    public static readonly (byte R, byte G, byte B) Ambiguous = (180, 120, 50);

    /// <summary>A solid-colour RGB PNG with a little deterministic noise (so it looks like a photo, not a swatch).</summary>
    public static byte[] SolidPng((byte R, byte G, byte B) colour, int size = 48, int seed = 1)
    {
        var rng = new Random(seed);
        var px = new byte[size * size * 3];
        for (var i = 0; i < px.Length; i += 3)
        {
            var n = rng.Next(-6, 7);
            px[i] = (byte)Math.Clamp(colour.R + n, 0, 255);
            px[i + 1] = (byte)Math.Clamp(colour.G + n, 0, 255);
            px[i + 2] = (byte)Math.Clamp(colour.B + n, 0, 255);
        }
        return EncodePng(px, size, size, 3);
    }

    /// <summary>A PNG cut off in the middle of its pixel data.</summary>
    public static byte[] TruncatedPng() => SolidPng(Donut, 64)[..80];

    /// <summary>A tiny PNG whose header claims 60000×60000 pixels (10.8 GB decoded): a decompression bomb.</summary>
    public static byte[] BombPng()
    {
        var real = EncodePng(new byte[3 * 4 * 4], 4, 4, 3);
        var bomb = (byte[])real.Clone();
        // IHDR data starts at byte 16 (8 signature + 4 length + 4 type); patch width and height, then the chunk CRC.
        BinaryPrimitives.WriteInt32BigEndian(bomb.AsSpan(16), 60000);
        BinaryPrimitives.WriteInt32BigEndian(bomb.AsSpan(20), 60000);
        BinaryPrimitives.WriteUInt32BigEndian(bomb.AsSpan(29), PngEncoder.Crc32(bomb.AsSpan(12, 17)));
        return bomb;
    }

    /// <summary>Decodes an 8-bit RGB/RGBA PNG (filters 0–4) and returns the mean colour; throws InvalidDataException for broken files.</summary>
    public static (double R, double G, double B) MeanColour(byte[] png, long maxPixels = 16_000_000)
    {
        if (png.Length < 8 || png[0] != 0x89 || png[1] != (byte)'P') throw new InvalidDataException("not a PNG");
        int width = 0, height = 0, channels = 0;
        using var idat = new MemoryStream();
        var pos = 8;
        var sawEnd = false;
        while (pos + 8 <= png.Length)
        {
            var len = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(pos));
            var type = System.Text.Encoding.ASCII.GetString(png, pos + 4, 4);
            if (len < 0 || pos + 12 + len > png.Length) throw new InvalidDataException("truncated PNG (chunk runs past the end of the file)");
            var data = png.AsSpan(pos + 8, len);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                if (data[8] != 8 || data[9] is not (2 or 6)) throw new InvalidDataException("only 8-bit RGB/RGBA PNGs are supported");
                channels = data[9] == 2 ? 3 : 4;
                if ((long)width * height > maxPixels) throw new InvalidDataException($"decompression bomb: {width}×{height} pixels is over the {maxPixels} limit");
            }
            else if (type == "IDAT") idat.Write(data);
            else if (type == "IEND") { sawEnd = true; break; }
            pos += 12 + len;
        }
        if (!sawEnd || width == 0) throw new InvalidDataException("truncated PNG (no IEND chunk)");
        var stride = width * channels;
        var raw = new byte[(stride + 1) * height];
        idat.Position = 0;
        using (var z = new ZLibStream(idat, CompressionMode.Decompress))
        {
            try { z.ReadExactly(raw); }
            catch (EndOfStreamException) { throw new InvalidDataException("truncated PNG (pixel data ends early)"); }
        }
        var prev = new byte[stride];
        var cur = new byte[stride];
        double r = 0, g = 0, b = 0;
        for (var y = 0; y < height; y++)
        {
            var filter = raw[y * (stride + 1)];
            raw.AsSpan(y * (stride + 1) + 1, stride).CopyTo(cur);
            for (var i = 0; i < stride; i++)
            {
                int left = i >= channels ? cur[i - channels] : 0, up = prev[i], ul = i >= channels ? prev[i - channels] : 0;
                cur[i] = (byte)(cur[i] + filter switch
                {
                    0 => 0,
                    1 => left,
                    2 => up,
                    3 => (left + up) / 2,
                    4 => Paeth(left, up, ul),
                    _ => throw new InvalidDataException($"bad PNG filter {filter}"),
                });
            }
            for (var x = 0; x < width; x++) { r += cur[x * channels]; g += cur[x * channels + 1]; b += cur[x * channels + 2]; }
            (prev, cur) = (cur, prev);
        }
        var n = (double)width * height;
        return (r / n, g / n, b / n);
    }

    /// <summary>
    /// A valid solid-colour RGB PNG of <paramref name="width"/>×<paramref name="height"/> written row by row (a 6000×6000
    /// one is ~100 KB of file but 108 MB of pixels once decoded), without ever holding the pixels in memory.
    /// </summary>
    public static byte[] LargeSolidPng((byte R, byte G, byte B) colour, int width, int height)
    {
        var row = new byte[1 + width * 3];
        for (var x = 0; x < width; x++) (row[1 + 3 * x], row[2 + 3 * x], row[3 + 3 * x]) = (colour.R, colour.G, colour.B);
        using var idat = new MemoryStream();
        using (var z = new ZLibStream(idat, CompressionLevel.SmallestSize, leaveOpen: true))
            for (var y = 0; y < height; y++) z.Write(row);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8; // bit depth
        ihdr[9] = 2; // RGB
        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        WriteChunk(png, "IHDR"u8, ihdr);
        WriteChunk(png, "IDAT"u8, idat.ToArray());
        WriteChunk(png, "IEND"u8, []);
        return png.ToArray();
    }

    private static void WriteChunk(Stream s, ReadOnlySpan<byte> type, byte[] data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        s.Write(word);
        var typed = new byte[4 + data.Length];
        type.CopyTo(typed);
        data.CopyTo(typed, 4);
        s.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(word, PngEncoder.Crc32(typed));
        s.Write(word);
    }

    /// <summary>Encodes 8-bit pixels as a PNG (the library's encoder).</summary>
    public static byte[] EncodePng(byte[] rgb, int width, int height, int channels) => PngEncoder.Encode(rgb, width, height, channels);

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
