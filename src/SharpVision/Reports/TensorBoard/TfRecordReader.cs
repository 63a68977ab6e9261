using System.Buffers.Binary;

namespace SharpVision.Reports.TensorBoard;

/// <summary>
/// Reads TFRecord-framed records and verifies both masked CRC-32Cs of each; any mismatch or truncation throws an
/// <see cref="InvalidDataException"/> naming the source and the byte offset of the bad record.
/// </summary>
public sealed class TfRecordReader
{
    private readonly Stream stream;
    private readonly string source;

    /// <summary>Reads records from <paramref name="stream"/>; <paramref name="source"/> names it in error messages.</summary>
    public TfRecordReader(Stream stream, string source = "stream")
    {
        ArgumentNullException.ThrowIfNull(stream);
        this.stream = stream;
        this.source = source;
    }

    /// <summary>Byte offset of the next record.</summary>
    public long Offset { get; private set; }

    /// <summary>Reads the next record's data, or returns false at a clean end of the stream.</summary>
    /// <exception cref="InvalidDataException">A CRC does not match or the record is cut short.</exception>
    public bool TryRead(out byte[] data)
    {
        data = Array.Empty<byte>();
        var start = Offset;
        Span<byte> header = stackalloc byte[12];
        var got = ReadFully(header);
        if (got == 0) return false;
        if (got < header.Length) throw new InvalidDataException($"{source}: truncated record header at offset {start} ({got} of 12 bytes)");
        var length = BinaryPrimitives.ReadUInt64LittleEndian(header);
        var lengthCrc = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        if (Crc32C.ComputeMasked(header[..8]) != lengthCrc)
            throw new InvalidDataException($"{source}: length CRC mismatch in the record at offset {start}");
        if (length > int.MaxValue - TfRecordWriter.Overhead)
            throw new InvalidDataException($"{source}: record at offset {start} claims {length} bytes, more than supported");

        var body = new byte[(int)length + 4];
        got = ReadFully(body);
        if (got < body.Length)
            throw new InvalidDataException($"{source}: truncated record at offset {start} ({got} of {body.Length} data+CRC bytes)");
        var dataCrc = BinaryPrimitives.ReadUInt32LittleEndian(body.AsSpan((int)length));
        if (Crc32C.ComputeMasked(body.AsSpan(0, (int)length)) != dataCrc)
            throw new InvalidDataException($"{source}: data CRC mismatch in the record at offset {start}");
        Array.Resize(ref body, (int)length);
        data = body;
        return true;
    }

    /// <summary>All remaining records.</summary>
    /// <exception cref="InvalidDataException">A CRC does not match or a record is cut short.</exception>
    public IEnumerable<byte[]> ReadAll()
    {
        while (TryRead(out var data)) yield return data;
    }

    private int ReadFully(Span<byte> buffer)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var n = stream.Read(buffer[total..]);
            if (n == 0) break;
            total += n;
        }
        Offset += total;
        return total;
    }
}
