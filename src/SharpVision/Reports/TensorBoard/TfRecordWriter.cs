using System.Buffers.Binary;

namespace SharpVision.Reports.TensorBoard;

/// <summary>
/// TFRecord framing: uint64 length (little-endian), masked CRC-32C of those 8 bytes, the data, masked CRC-32C of the data.
/// </summary>
public static class TfRecordWriter
{
    /// <summary>Bytes of framing around each record (8 + 4 + 4).</summary>
    public const int Overhead = 16;

    /// <summary>The framed record as one buffer, so that it can be written with a single call.</summary>
    public static byte[] Frame(ReadOnlySpan<byte> data)
    {
        var record = new byte[data.Length + Overhead];
        var span = record.AsSpan();
        BinaryPrimitives.WriteUInt64LittleEndian(span, (ulong)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(span[8..], Crc32C.ComputeMasked(span[..8]));
        data.CopyTo(span[12..]);
        BinaryPrimitives.WriteUInt32LittleEndian(span[(12 + data.Length)..], Crc32C.ComputeMasked(data));
        return record;
    }

    /// <summary>Writes one framed record to <paramref name="stream"/> in a single write.</summary>
    public static void Write(Stream stream, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(stream);
        stream.Write(Frame(data));
    }
}
