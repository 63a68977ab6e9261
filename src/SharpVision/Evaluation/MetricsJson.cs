using SharpVision.Engine.IO;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SharpVision.Evaluation;

/// <summary>
/// Reads and writes metrics.json: indented System.Text.Json with snake_case property names derived from the C#
/// names (so they are stable), nulls omitted.
/// </summary>
public static class MetricsJson
{
    /// <summary>The serializer settings used for metrics.json.</summary>
    public static JsonSerializerOptions Options { get; } = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Serialises a document to JSON text.</summary>
    public static string Serialize(MetricsDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return JsonSerializer.Serialize(document, Options);
    }

    /// <summary>Parses JSON text written by <see cref="Serialize"/>; throws <see cref="InvalidDataException"/> when it is not a metrics document.</summary>
    public static MetricsDocument Deserialize(string json, string source = "metrics.json")
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            return JsonSerializer.Deserialize<MetricsDocument>(json, Options) ?? throw new InvalidDataException($"{source}: empty document");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: not a valid metrics document: {e.Message}", e);
        }
    }

    /// <summary>Writes the document to <paramref name="path"/> (UTF-8, via a temporary file so readers never see half a file).</summary>
    public static void Save(MetricsDocument document, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        AtomicFile.WriteAllText(path, Serialize(document));
    }

    /// <summary>Reads a document from <paramref name="path"/>.</summary>
    public static MetricsDocument Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"metrics file not found: {path}", path);
        return Deserialize(File.ReadAllText(path), path);
    }
}
