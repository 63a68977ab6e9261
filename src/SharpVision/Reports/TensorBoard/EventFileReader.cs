using Google.Protobuf;
using static Google.Protobuf.WireFormat;
using E = SharpVision.Reports.TensorBoard.EventEncoding;

namespace SharpVision.Reports.TensorBoard;

/// <summary>
/// Reads TensorBoard event files back: TFRecord framing with both CRCs verified (<see cref="TfRecordReader"/>), then
/// Event / Summary / Summary.Value decoded with Google.Protobuf's <see cref="CodedInputStream"/>. Unknown fields are
/// skipped, so files written by TensorFlow or PyTorch can be read too.
/// </summary>
public static class EventFileReader
{
    /// <summary>All events of the file at <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">A CRC mismatch, truncated record or undecodable event (the message names the file and offset).</exception>
    public static IReadOnlyList<TensorBoardEvent> ReadAll(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        return Read(stream, path).ToList();
    }

    /// <summary>Events from a stream, one record at a time.</summary>
    /// <exception cref="InvalidDataException">A CRC mismatch, truncated record or undecodable event.</exception>
    public static IEnumerable<TensorBoardEvent> Read(Stream stream, string source = "stream")
    {
        var reader = new TfRecordReader(stream, source);
        while (true)
        {
            var offset = reader.Offset;
            if (!reader.TryRead(out var record)) yield break;
            TensorBoardEvent decoded;
            try
            {
                decoded = DecodeEvent(record);
            }
            catch (InvalidProtocolBufferException e)
            {
                throw new InvalidDataException($"{source}: the record at offset {offset} is not a valid Event: {e.Message}", e);
            }
            yield return decoded;
        }
    }

    /// <summary>Decodes one serialized Event message.</summary>
    /// <exception cref="InvalidProtocolBufferException">The bytes are not a valid protobuf message.</exception>
    public static TensorBoardEvent DecodeEvent(byte[] data)
    {
        double wallTime = 0;
        long step = 0;
        string? fileVersion = null;
        var values = new List<SummaryValue>();
        ForEachField(data, (input, field, wire) =>
        {
            switch (field)
            {
                case E.EventWallTime when wire == WireType.Fixed64: wallTime = input.ReadDouble(); return true;
                case E.EventStep when wire == WireType.Varint: step = input.ReadInt64(); return true;
                case E.EventFileVersion when wire == WireType.LengthDelimited: fileVersion = input.ReadString(); return true;
                case E.EventSummary when wire == WireType.LengthDelimited:
                    ForEachField(input.ReadBytes().ToByteArray(), (s, f, w) =>
                    {
                        if (f != E.SummaryValue || w != WireType.LengthDelimited) return false;
                        values.Add(DecodeValue(s.ReadBytes().ToByteArray()));
                        return true;
                    });
                    return true;
                default: return false;
            }
        });
        return new TensorBoardEvent(wallTime, step, fileVersion, values);
    }

    private static SummaryValue DecodeValue(byte[] data)
    {
        var tag = "";
        float? simple = null;
        SummaryImage? image = null;
        string? text = null;
        string? plugin = null;
        ForEachField(data, (input, field, wire) =>
        {
            switch (field)
            {
                case E.ValueTag when wire == WireType.LengthDelimited: tag = input.ReadString(); return true;
                case E.ValueSimpleValue when wire == WireType.Fixed32: simple = input.ReadFloat(); return true;
                case E.ValueImage when wire == WireType.LengthDelimited: image = DecodeImage(input.ReadBytes().ToByteArray()); return true;
                case E.ValueMetadata when wire == WireType.LengthDelimited: plugin = DecodePluginName(input.ReadBytes().ToByteArray()); return true;
                case E.ValueTensor when wire == WireType.LengthDelimited: text = DecodeStringTensor(input.ReadBytes().ToByteArray()); return true;
                default: return false;
            }
        });
        return new SummaryValue(tag, simple, image, text, plugin);
    }

    private static SummaryImage DecodeImage(byte[] data)
    {
        int height = 0, width = 0, colorspace = 0;
        var encoded = Array.Empty<byte>();
        ForEachField(data, (input, field, wire) =>
        {
            switch (field)
            {
                case E.ImageHeight when wire == WireType.Varint: height = input.ReadInt32(); return true;
                case E.ImageWidth when wire == WireType.Varint: width = input.ReadInt32(); return true;
                case E.ImageColorspace when wire == WireType.Varint: colorspace = input.ReadInt32(); return true;
                case E.ImageEncoded when wire == WireType.LengthDelimited: encoded = input.ReadBytes().ToByteArray(); return true;
                default: return false;
            }
        });
        return new SummaryImage(height, width, colorspace, encoded);
    }

    private static string? DecodePluginName(byte[] metadata)
    {
        string? name = null;
        ForEachField(metadata, (input, field, wire) =>
        {
            if (field != E.MetadataPluginData || wire != WireType.LengthDelimited) return false;
            ForEachField(input.ReadBytes().ToByteArray(), (p, f, w) =>
            {
                if (f != E.PluginName || w != WireType.LengthDelimited) return false;
                name = p.ReadString();
                return true;
            });
            return true;
        });
        return name;
    }

    // The text of a DT_STRING tensor (its string values joined by newlines), or null for other tensors.
    private static string? DecodeStringTensor(byte[] tensor)
    {
        var dtype = 0;
        var strings = new List<string>();
        ForEachField(tensor, (input, field, wire) =>
        {
            switch (field)
            {
                case E.TensorDType when wire == WireType.Varint: dtype = input.ReadEnum(); return true;
                case E.TensorStringVal when wire == WireType.LengthDelimited: strings.Add(input.ReadBytes().ToStringUtf8()); return true;
                default: return false;
            }
        });
        return dtype == E.DtString ? string.Join("\n", strings) : null;
    }

    // Calls handle(input, fieldNumber, wireType) for each field; a handler returning false has the field skipped.
    private static void ForEachField(byte[] data, Func<CodedInputStream, int, WireType, bool> handle)
    {
        var input = new CodedInputStream(data);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (!handle(input, GetTagFieldNumber(tag), GetTagWireType(tag))) input.SkipLastField();
        }
    }
}
