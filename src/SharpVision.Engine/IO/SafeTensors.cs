using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace SharpVision.Engine.IO;

/// <summary>Where one tensor lies in a safetensors file.</summary>
/// <param name="Name">The tensor's name.</param>
/// <param name="DType">Element type.</param>
/// <param name="Shape">Dimensions.</param>
/// <param name="Begin">Offset of the first byte, relative to the data section.</param>
/// <param name="End">Offset one past the last byte.</param>
public sealed record SafeTensorInfo(string Name, DType DType, long[] Shape, long Begin, long End)
{
    /// <summary>Number of elements.</summary>
    public long NumberOfElements => Shape.Aggregate(1L, (a, b) => a * b);
}

/// <summary>
/// The Hugging Face safetensors format: an 8-byte little-endian header length, a JSON header mapping names to
/// dtype / shape / data_offsets (plus an optional string map "__metadata__"), then the raw little-endian data.
/// </summary>
public static class SafeTensors
{
    private const long MaxHeaderBytes = 100L << 20;

    /// <summary>Serialises named tensors (data in name order) and string metadata into safetensors bytes.</summary>
    public static byte[] Serialize(IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        using var ms = new MemoryStream();
        Write(ms, tensors, metadata);
        return ms.ToArray();
    }

    /// <summary>Writes a safetensors file atomically (temp file, fsync, rename).</summary>
    public static void Save(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var list = tensors.ToList();
        AtomicFile.Write(path, s => Write(s, list, metadata));
    }

    /// <summary>Writes safetensors to a stream.</summary>
    public static void Write(Stream stream, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var items = tensors.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToList();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, _) in items)
        {
            if (name == "__metadata__") throw new ArgumentException("'__metadata__' cannot be a tensor name");
            if (!names.Add(name)) throw new ArgumentException($"duplicate tensor name '{name}'");
        }

        var header = new MemoryStream();
        using (var json = new Utf8JsonWriter(header))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject("__metadata__");
                foreach (var (k, v) in metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal)) json.WriteString(k, v);
                json.WriteEndObject();
            }
            long offset = 0;
            foreach (var (name, t) in items)
            {
                var size = t.NumberOfElements * t.DType.ElementSize();
                json.WriteStartObject(name);
                json.WriteString("dtype", t.DType.SafetensorsName());
                json.WriteStartArray("shape");
                foreach (var d in t.Shape) json.WriteNumberValue(d);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + size);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += size;
            }
            json.WriteEndObject();
        }
        // Pad the header with spaces so the data section starts 8-byte aligned (as the reference implementation does).
        var headerLength = header.Length;
        var padded = (headerLength + 7) / 8 * 8;
        Span<byte> len = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(len, (ulong)padded);
        stream.Write(len);
        header.Position = 0;
        header.CopyTo(stream);
        for (var i = headerLength; i < padded; i++) stream.WriteByte((byte)' ');
        foreach (var (_, t) in items) stream.Write(t.ToBytes());
    }

    /// <summary>Reads every tensor and the metadata of a safetensors file.</summary>
    public static (Dictionary<string, Tensor> Tensors, Dictionary<string, string> Metadata) Load(string path)
    {
        using var file = SafeTensorsFile.Open(path);
        return (file.LoadAll(), new Dictionary<string, string>(file.Metadata));
    }

    /// <summary>Reads tensors and metadata from safetensors bytes.</summary>
    public static (Dictionary<string, Tensor> Tensors, Dictionary<string, string> Metadata) Deserialize(byte[] bytes, string sourceName = "<memory>")
    {
        using var file = SafeTensorsFile.Open(new MemoryStream(bytes, writable: false), sourceName);
        return (file.LoadAll(), new Dictionary<string, string>(file.Metadata));
    }

    internal static (List<SafeTensorInfo> Infos, Dictionary<string, string> Metadata, long DataStart) ParseHeader(Stream stream, string source)
    {
        Span<byte> len = stackalloc byte[8];
        if (stream.ReadAtLeast(len, 8, throwOnEndOfStream: false) < 8)
            throw new InvalidDataException($"{source}: not a safetensors file (shorter than the 8-byte header length)");
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(len);
        if (headerLength > (ulong)MaxHeaderBytes || (stream.CanSeek && (long)headerLength > stream.Length - 8))
            throw new InvalidDataException($"{source}: not a safetensors file (header length {headerLength} is impossible for this file)");
        var headerBytes = new byte[headerLength];
        stream.ReadExactly(headerBytes);
        var dataStart = 8 + (long)headerLength;
        var dataLength = stream.CanSeek ? stream.Length - dataStart : long.MaxValue;

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(headerBytes);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: the safetensors header is not valid JSON ({e.Message})", e);
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new InvalidDataException($"{source}: the safetensors header must be a JSON object");
            var infos = new List<SafeTensorInfo>();
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var prop in doc.RootElement.EnumerateObject())
            {
                if (prop.Name == "__metadata__")
                {
                    if (prop.Value.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"{source}: __metadata__ must be an object of strings");
                    foreach (var m in prop.Value.EnumerateObject())
                    {
                        if (m.Value.ValueKind != JsonValueKind.String)
                            throw new InvalidDataException($"{source}: __metadata__.{m.Name} must be a string");
                        metadata[m.Name] = m.Value.GetString()!;
                    }
                    continue;
                }
                infos.Add(ParseEntry(prop, source, dataLength));
            }
            return (infos, metadata, dataStart);
        }
    }

    private static SafeTensorInfo ParseEntry(JsonProperty prop, string source, long dataLength)
    {
        var where = $"{source}: tensor '{prop.Name}'";
        if (prop.Value.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"{where} must be an object");
        if (!prop.Value.TryGetProperty("dtype", out var dt) || dt.ValueKind != JsonValueKind.String)
            throw new InvalidDataException($"{where}: missing field 'dtype'");
        if (!DTypeExtensions.TryParseSafetensors(dt.GetString()!, out var dtype))
            throw new InvalidDataException($"{where}: field 'dtype' has the unsupported value '{dt.GetString()}'");
        if (!prop.Value.TryGetProperty("shape", out var sh) || sh.ValueKind != JsonValueKind.Array)
            throw new InvalidDataException($"{where}: missing field 'shape'");
        var shape = new List<long>();
        foreach (var d in sh.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt64(out var v) || v < 0)
                throw new InvalidDataException($"{where}: field 'shape' must hold non-negative integers");
            shape.Add(v);
        }
        if (!prop.Value.TryGetProperty("data_offsets", out var off) || off.ValueKind != JsonValueKind.Array || off.GetArrayLength() != 2)
            throw new InvalidDataException($"{where}: field 'data_offsets' must be [begin, end]");
        long begin = 0, end = 0;
        if (off[0].ValueKind != JsonValueKind.Number || off[1].ValueKind != JsonValueKind.Number || !off[0].TryGetInt64(out begin) || !off[1].TryGetInt64(out end))
            throw new InvalidDataException($"{where}: field 'data_offsets' must hold two integers");
        var expected = shape.Aggregate(1L, (a, b) => a * b) * dtype.ElementSize();
        if (begin < 0 || end < begin || end - begin != expected)
            throw new InvalidDataException($"{where}: field 'data_offsets' [{begin}, {end}] does not fit shape [{string.Join(", ", shape)}] of {dtype} ({expected} bytes)");
        if (end > dataLength)
            throw new InvalidDataException($"{where}: field 'data_offsets' ends at byte {end} but the file holds only {dataLength} data bytes (truncated file?)");
        return new SafeTensorInfo(prop.Name, dtype, shape.ToArray(), begin, end);
    }
}

/// <summary>An open safetensors file: the header is parsed at once, tensors are read on demand.</summary>
public sealed class SafeTensorsFile : IDisposable
{
    private readonly Stream stream;
    private readonly long dataStart;
    private readonly Dictionary<string, SafeTensorInfo> infos;

    private SafeTensorsFile(Stream stream, string source)
    {
        this.stream = stream;
        Source = source;
        var (list, metadata, start) = SafeTensors.ParseHeader(stream, source);
        dataStart = start;
        infos = list.ToDictionary(i => i.Name, StringComparer.Ordinal);
        Metadata = metadata;
    }

    /// <summary>Opens a file (the header is validated now).</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">The file is not valid safetensors; the message names the file and the field.</exception>
    public static SafeTensorsFile Open(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"weights file not found: {path}", path);
        var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        try { return new SafeTensorsFile(fs, path); }
        catch { fs.Dispose(); throw; }
    }

    /// <summary>Opens safetensors data from a seekable stream.</summary>
    public static SafeTensorsFile Open(Stream stream, string sourceName) => new(stream, sourceName);

    /// <summary>The file's path or name (used in error messages).</summary>
    public string Source { get; }

    /// <summary>The header's string metadata.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The tensors in the file, in data order.</summary>
    public IReadOnlyList<SafeTensorInfo> Tensors => infos.Values.OrderBy(i => i.Begin).ToList();

    /// <summary>True when the file has a tensor of that name.</summary>
    public bool Contains(string name) => infos.ContainsKey(name);

    /// <summary>Looks up a tensor's description.</summary>
    public SafeTensorInfo Info(string name) =>
        infos.TryGetValue(name, out var i) ? i : throw new KeyNotFoundException($"{Source}: no tensor named '{name}'");

    /// <summary>Reads one tensor into a new CPU tensor.</summary>
    public Tensor Load(string name)
    {
        var info = Info(name);
        var bytes = new byte[info.End - info.Begin];
        stream.Position = dataStart + info.Begin;
        stream.ReadExactly(bytes);
        return Tensor.FromBytes(bytes, info.DType, info.Shape);
    }

    /// <summary>Reads every tensor.</summary>
    public Dictionary<string, Tensor> LoadAll()
    {
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var info in Tensors) result[info.Name] = Load(info.Name);
        return result;
    }

    /// <inheritdoc />
    public void Dispose() => stream.Dispose();
}
