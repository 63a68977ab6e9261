using Google.Protobuf;
using static Google.Protobuf.WireFormat;

namespace SharpVision.Reports.TensorBoard;

/// <summary>
/// Hand-written protobuf encoding of the few messages of TensorFlow's event.proto / summary.proto that TensorBoard
/// needs (field numbers below), with Google.Protobuf's <see cref="CodedOutputStream"/>; no generated classes.
/// </summary>
internal static class EventEncoding
{
    // Event
    public const int EventWallTime = 1, EventStep = 2, EventFileVersion = 3, EventSummary = 5;
    // Summary
    public const int SummaryValue = 1;
    // Summary.Value
    public const int ValueTag = 1, ValueSimpleValue = 2, ValueImage = 4, ValueTensor = 8, ValueMetadata = 9;
    // Summary.Image
    public const int ImageHeight = 1, ImageWidth = 2, ImageColorspace = 3, ImageEncoded = 4;
    // SummaryMetadata, SummaryMetadata.PluginData
    public const int MetadataPluginData = 1, MetadataDataClass = 4, PluginName = 1, PluginContent = 2;
    // TensorProto
    public const int TensorDType = 1, TensorShape = 2, TensorStringVal = 8;
    /// <summary>tensorflow.DataType.DT_STRING.</summary>
    public const int DtString = 7;
    /// <summary>tensorboard.DataClass.DATA_CLASS_TENSOR.</summary>
    public const int DataClassTensor = 2;

    /// <summary>The first record of every event file: Event { wall_time, file_version }.</summary>
    public static byte[] FileVersionEvent(double wallTime, string fileVersion) => Encode(o =>
    {
        o.WriteTag(EventWallTime, WireType.Fixed64);
        o.WriteDouble(wallTime);
        o.WriteTag(EventFileVersion, WireType.LengthDelimited);
        o.WriteString(fileVersion);
    });

    /// <summary>Event { wall_time, step, summary { value } } for one encoded Summary.Value.</summary>
    public static byte[] SummaryEvent(double wallTime, long step, byte[] value)
    {
        var summary = Encode(o => WriteMessage(o, SummaryValue, value));
        return Encode(o =>
        {
            o.WriteTag(EventWallTime, WireType.Fixed64);
            o.WriteDouble(wallTime);
            o.WriteTag(EventStep, WireType.Varint);
            o.WriteInt64(step);
            WriteMessage(o, EventSummary, summary);
        });
    }

    /// <summary>Summary.Value { tag, simple_value }.</summary>
    public static byte[] ScalarValue(string tag, float value) => Encode(o =>
    {
        WriteString(o, ValueTag, tag);
        o.WriteTag(ValueSimpleValue, WireType.Fixed32);
        o.WriteFloat(value);
    });

    /// <summary>Summary.Value { tag, image { height, width, colorspace, encoded_image_string } }.</summary>
    public static byte[] ImageValue(string tag, int height, int width, int colorspace, byte[] encoded)
    {
        var image = Encode(o =>
        {
            o.WriteTag(ImageHeight, WireType.Varint);
            o.WriteInt32(height);
            o.WriteTag(ImageWidth, WireType.Varint);
            o.WriteInt32(width);
            o.WriteTag(ImageColorspace, WireType.Varint);
            o.WriteInt32(colorspace);
            WriteMessage(o, ImageEncoded, encoded);
        });
        return Encode(o =>
        {
            WriteString(o, ValueTag, tag);
            WriteMessage(o, ValueImage, image);
        });
    }

    /// <summary>
    /// A text summary as TensorBoard's text plugin writes it: Summary.Value { tag, metadata { plugin_data { plugin_name
    /// "text" }, data_class TENSOR }, tensor { dtype DT_STRING, tensor_shape {}, string_val } }.
    /// </summary>
    public static byte[] TextValue(string tag, string text)
    {
        var pluginData = Encode(o => WriteString(o, PluginName, "text"));
        var metadata = Encode(o =>
        {
            WriteMessage(o, MetadataPluginData, pluginData);
            o.WriteTag(MetadataDataClass, WireType.Varint);
            o.WriteEnum(DataClassTensor);
        });
        var tensor = Encode(o =>
        {
            o.WriteTag(TensorDType, WireType.Varint);
            o.WriteEnum(DtString);
            WriteMessage(o, TensorShape, Array.Empty<byte>()); // a scalar: a shape with no dimensions
            o.WriteTag(TensorStringVal, WireType.LengthDelimited);
            o.WriteBytes(ByteString.CopyFromUtf8(text));
        });
        return Encode(o =>
        {
            WriteString(o, ValueTag, tag);
            WriteMessage(o, ValueMetadata, metadata);
            WriteMessage(o, ValueTensor, tensor);
        });
    }

    /// <summary>
    /// The HParams tab's session record as torch.utils.tensorboard writes it: Summary.Value { tag
    /// "_hparams_/session_start_info", metadata { plugin_data { plugin_name "hparams", content HParamsPluginData {
    /// version 0, session_start_info { hparams map&lt;string, google.protobuf.Value&gt;, start_time_secs } } } } }.
    /// TensorBoard infers the experiment (columns, metrics) from such sessions and their scalar runs.
    /// </summary>
    public static byte[] HParamsSessionStartValue(IReadOnlyDictionary<string, object> hparams, double startTimeSeconds)
    {
        var sessionStart = Encode(o =>
        {
            foreach (var (key, value) in hparams)
            {
                var protoValue = Encode(v =>
                {
                    switch (value)
                    {
                        case bool b:
                            v.WriteTag(4, WireType.Varint); // bool_value
                            v.WriteBool(b);
                            break;
                        case double or float or int or long or ulong:
                            v.WriteTag(2, WireType.Fixed64); // number_value
                            v.WriteDouble(Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture));
                            break;
                        default:
                            WriteString(v, 3, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? ""); // string_value
                            break;
                    }
                });
                var entry = Encode(e =>
                {
                    WriteString(e, 1, key);
                    WriteMessage(e, 2, protoValue);
                });
                WriteMessage(o, 1, entry); // hparams (a map: repeated key/value entries)
            }
            o.WriteTag(5, WireType.Fixed64); // start_time_secs
            o.WriteDouble(startTimeSeconds);
        });
        var pluginContent = Encode(o =>
        {
            o.WriteTag(1, WireType.Varint); // version
            o.WriteInt32(0);
            WriteMessage(o, 3, sessionStart); // session_start_info
        });
        var pluginData = Encode(o =>
        {
            WriteString(o, PluginName, "hparams");
            WriteMessage(o, PluginContent, pluginContent);
        });
        var metadata = Encode(o => WriteMessage(o, MetadataPluginData, pluginData));
        return Encode(o =>
        {
            WriteString(o, ValueTag, "_hparams_/session_start_info");
            WriteMessage(o, ValueMetadata, metadata);
        });
    }

    private static void WriteString(CodedOutputStream o, int field, string value)
    {
        o.WriteTag(field, WireType.LengthDelimited);
        o.WriteString(value);
    }

    // A nested message or bytes field: tag, length, payload.
    private static void WriteMessage(CodedOutputStream o, int field, byte[] payload)
    {
        o.WriteTag(field, WireType.LengthDelimited);
        o.WriteBytes(UnsafeByteOperations.UnsafeWrap(payload)); // length-prefixed; the payload is not copied
    }

    private static byte[] Encode(Action<CodedOutputStream> write)
    {
        using var buffer = new MemoryStream();
        using (var output = new CodedOutputStream(buffer, leaveOpen: true))
        {
            write(output);
            output.Flush();
        }
        return buffer.ToArray();
    }
}
