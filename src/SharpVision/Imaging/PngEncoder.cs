using System.Buffers.Binary;
using System.IO.Compression;

namespace SharpVision.Imaging;

/// <summary>A small PNG writer (8-bit gray, RGB or RGBA; zlib from the BCL). Used for charts, grids and heatmaps.</summary>
public static class PngEncoder
{
    private static readonly uint[] CrcTable = BuildCrcTable();

    /// <summary>Encodes interleaved 8-bit pixels (H×W×C, C = 1, 3 or 4) as PNG bytes.</summary>
    public static byte[] Encode(ReadOnlySpan<byte> pixels, int width, int height, int channels, CompressionLevel level = CompressionLevel.Optimal)
    {
        if (width <= 0 || height <= 0) throw new ArgumentException($"image size must be positive, got {width}×{height}");
        if (channels is not (1 or 3 or 4)) throw new ArgumentException($"channels must be 1, 3 or 4, got {channels}");
        var stride = width * channels;
        if (pixels.Length != (long)stride * height) throw new ArgumentException($"{width}×{height}×{channels} needs {stride * height} bytes, got {pixels.Length}");

        using var output = new MemoryStream();
        output.Write(stackalloc byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A });

        Span<byte> ihdr = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr[4..], height);
        ihdr[8] = 8; // bit depth
        ihdr[9] = channels switch { 1 => 0, 3 => 2, _ => 6 }; // colour type
        WriteChunk(output, "IHDR"u8, ihdr);

        using var raw = new MemoryStream();
        using (var z = new ZLibStream(raw, level, leaveOpen: true))
        {
            // Filter "Up" (2) for every row after the first: cheap and compresses charts and photos well.
            var row = new byte[stride + 1];
            for (var y = 0; y < height; y++)
            {
                var cur = pixels.Slice(y * stride, stride);
                if (y == 0)
                {
                    row[0] = 0;
                    cur.CopyTo(row.AsSpan(1));
                }
                else
                {
                    row[0] = 2;
                    var prev = pixels.Slice((y - 1) * stride, stride);
                    for (var i = 0; i < stride; i++) row[i + 1] = (byte)(cur[i] - prev[i]);
                }
                z.Write(row);
            }
        }
        WriteChunk(output, "IDAT"u8, raw.GetBuffer().AsSpan(0, (int)raw.Length));
        WriteChunk(output, "IEND"u8, ReadOnlySpan<byte>.Empty);
        return output.ToArray();
    }

    /// <summary>Encodes an image as PNG bytes.</summary>
    public static byte[] Encode(RgbImage image) => Encode(image.Pixels, image.Width, image.Height, image.Channels);

    /// <summary>Writes an image to a PNG file.</summary>
    public static void Save(RgbImage image, string path) => File.WriteAllBytes(path, Encode(image));

    private static void WriteChunk(Stream s, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> len = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(len, data.Length);
        s.Write(len);
        s.Write(type);
        s.Write(data);
        var crc = Crc(Crc(0xFFFFFFFFu, type), data) ^ 0xFFFFFFFFu;
        BinaryPrimitives.WriteUInt32BigEndian(len, crc);
        s.Write(len);
    }

    /// <summary>The CRC-32 of PNG chunks (ISO 3309 polynomial), also used to validate headers when decoding.</summary>
    internal static uint Crc32(ReadOnlySpan<byte> data) => Crc(0xFFFFFFFFu, data) ^ 0xFFFFFFFFu;

    private static uint Crc(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (var b in data) crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc;
    }

    private static uint[] BuildCrcTable()
    {
        var t = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[n] = c;
        }
        return t;
    }
}
