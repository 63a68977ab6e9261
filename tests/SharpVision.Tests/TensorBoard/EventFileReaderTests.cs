using SharpVision.Reports.TensorBoard;
using SharpVision.Tests.Support;

namespace SharpVision.Tests.TensorBoard;

public class EventFileReaderTests
{
    // A file with the version record and two scalars; returns the path and each record's start offset.
    private static (string Path, long[] Offsets) WriteSample(TempDirectory dir)
    {
        string path;
        using (var writer = new TensorBoardWriter(dir.Path))
        {
            path = writer.FilePath;
            writer.AddScalar("a", 1, 1);
            writer.AddScalar("b", 2, 2);
        }
        using var stream = File.OpenRead(path);
        var reader = new TfRecordReader(stream, path);
        var offsets = new List<long>();
        while (true)
        {
            var offset = reader.Offset;
            if (!reader.TryRead(out _)) break;
            offsets.Add(offset);
        }
        return (path, offsets.ToArray());
    }

    private static void Corrupt(string path, long offset)
    {
        var bytes = File.ReadAllBytes(path);
        bytes[offset] ^= 0x40;
        File.WriteAllBytes(path, bytes);
    }

    [Fact]
    public void ACorruptedDataByteIsDetectedAtItsRecord()
    {
        using var dir = new TempDirectory();
        var (path, offsets) = WriteSample(dir);
        Assert.Equal(3, offsets.Length);
        Corrupt(path, offsets[2] + 12 + 3); // inside the third record's data
        var e = Assert.Throws<InvalidDataException>(() => EventFileReader.ReadAll(path));
        Assert.Contains("data CRC", e.Message);
        Assert.Contains($"offset {offsets[2]}", e.Message);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void ACorruptedLengthIsDetected()
    {
        using var dir = new TempDirectory();
        var (path, offsets) = WriteSample(dir);
        Corrupt(path, offsets[1] + 2);
        var e = Assert.Throws<InvalidDataException>(() => EventFileReader.ReadAll(path));
        Assert.Contains("length CRC", e.Message);
        Assert.Contains($"offset {offsets[1]}", e.Message);
    }

    [Fact]
    public void ACorruptedCrcIsDetected()
    {
        using var dir = new TempDirectory();
        var (path, offsets) = WriteSample(dir);
        Corrupt(path, offsets[2] - 1); // last byte of the second record's data CRC
        var e = Assert.Throws<InvalidDataException>(() => EventFileReader.ReadAll(path));
        Assert.Contains($"offset {offsets[1]}", e.Message);
    }

    [Fact]
    public void ATruncatedTailIsReportedAsTruncated()
    {
        using var dir = new TempDirectory();
        var (path, offsets) = WriteSample(dir);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes.AsSpan(0, bytes.Length - 5).ToArray());
        var e = Assert.Throws<InvalidDataException>(() => EventFileReader.ReadAll(path));
        Assert.Contains("truncated", e.Message);
        Assert.Contains($"offset {offsets[2]}", e.Message);

        // The whole records before the cut are still readable one by one.
        using var stream = File.OpenRead(path);
        using var events = EventFileReader.Read(stream).GetEnumerator();
        Assert.True(events.MoveNext());
        Assert.True(events.MoveNext());
        Assert.Equal("a", events.Current.Values[0].Tag);
        Assert.Throws<InvalidDataException>(() => events.MoveNext());
    }

    [Fact]
    public void FramingRoundTripsArbitraryPayloads()
    {
        using var buffer = new MemoryStream();
        var payloads = new[] { Array.Empty<byte>(), new byte[] { 1, 2, 3 }, Enumerable.Range(0, 70000).Select(i => (byte)i).ToArray() };
        foreach (var p in payloads) TfRecordWriter.Write(buffer, p);
        Assert.Equal(payloads.Sum(p => p.Length + TfRecordWriter.Overhead), buffer.Length);
        buffer.Position = 0;
        Assert.Equal(payloads, new TfRecordReader(buffer).ReadAll().ToArray());
    }

    [Fact]
    public void UnknownFieldsAreSkipped()
    {
        // Event { step = 5, source_metadata (field 10) = {…}, summary { value { tag "t", node_name (7) "n", simple_value 2.5 } } }
        var value = new byte[] { 0x0A, 1, (byte)'t', 0x3A, 1, (byte)'n', 0x15 }.Concat(BitConverter.GetBytes(2.5f)).ToArray();
        var summary = new byte[] { 0x0A, (byte)value.Length }.Concat(value).ToArray();
        var evt = new byte[] { 0x10, 5, 0x52, 2, 0x0A, 0 }.Concat(new byte[] { 0x2A, (byte)summary.Length }).Concat(summary).ToArray();
        var decoded = EventFileReader.DecodeEvent(evt);
        Assert.Equal(5, decoded.Step);
        Assert.Equal("t", decoded.Values[0].Tag);
        Assert.Equal(2.5f, decoded.Values[0].SimpleValue);
    }
}
