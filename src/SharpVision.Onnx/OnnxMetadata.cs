using System.Globalization;
using System.Text.Json;
using SharpVision.Data;
using SharpVision.Models;

namespace SharpVision.Onnx;

/// <summary>
/// The metadata SharpVision writes into an exported .onnx file (ModelProto.metadata_props) so that predict,
/// evaluate and serve — or any ONNX Runtime program — can classify with nothing else: class names, input size,
/// resize mode, normalisation (also as plain "mean"/"std" lists), the SharpVision version, the architecture and the
/// training summary (with the run's fingerprint when the model file has one), and whether the output is logits or
/// probabilities.
/// </summary>
public static class OnnxMetadata
{
    /// <summary>Value of <see cref="FormatKey"/>.</summary>
    public const string Format = "sharpvision-onnx-v1";

    /// <summary>Marks a file written by SharpVision.</summary>
    public const string FormatKey = "sharpvision.format";
    /// <summary>JSON array of class names in output order.</summary>
    public const string ClassesKey = "classes";
    /// <summary>CxHxW, e.g. 3x224x224.</summary>
    public const string InputKey = "input";
    /// <summary>Stretch, CenterCrop or Letterbox (<see cref="ResizeMode"/>).</summary>
    public const string ResizeKey = "resize";
    /// <summary>The normalisation map of the model file (JSON).</summary>
    public const string NormalizationKey = "normalization";
    /// <summary>Per-channel mean on the 0–1 scale, comma-separated.</summary>
    public const string MeanKey = "mean";
    /// <summary>Per-channel standard deviation on the 0–1 scale, comma-separated.</summary>
    public const string StdKey = "std";
    /// <summary>"logits" or "probabilities".</summary>
    public const string OutputKey = "output";
    /// <summary>The training run's fingerprint (settings that identify it), when the model file records one.</summary>
    public const string FingerprintKey = "training_fingerprint";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    /// <summary>The metadata of an export of a model described by <paramref name="d"/>.</summary>
    public static Dictionary<string, string> Create(ModelDescriptor d, bool probabilities)
    {
        var m = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [FormatKey] = Format,
            [ClassesKey] = JsonSerializer.Serialize(d.ClassNames, Json),
            [InputKey] = string.Create(CultureInfo.InvariantCulture, $"{d.InputChannels}x{d.InputHeight}x{d.InputWidth}"),
            [ResizeKey] = d.Resize.ToString(),
            [NormalizationKey] = JsonSerializer.Serialize(d.Normalization.ToMap(), Json),
            [MeanKey] = string.Join(",", d.Normalization.Mean.Select(v => v.ToString("R", CultureInfo.InvariantCulture))),
            [StdKey] = string.Join(",", d.Normalization.Std.Select(v => v.ToString("R", CultureInfo.InvariantCulture))),
            [OutputKey] = probabilities ? "probabilities" : "logits",
            ["architecture"] = d.Architecture,
            ["model_options"] = JsonSerializer.Serialize(d.Options, Json),
            ["training"] = JsonSerializer.Serialize(d.Training, Json),
            ["sharpvision_version"] = Version,
        };
        if (d.Training.TryGetValue("fingerprint", out var fingerprint) && fingerprint.Length > 0) m[FingerprintKey] = fingerprint;
        // Open-set rejection travels with the model: its score, thresholds and parameters, as in the model file.
        if (d.Unknown is { } unknown) m[UnknownDetector.MetadataKey] = unknown.ToJson();
        return m;
    }

    /// <summary>This library's version, as written into exports.</summary>
    public static string Version => typeof(OnnxMetadata).Assembly.GetName().Version?.ToString() ?? "?";

    /// <summary>
    /// Reads the descriptor of an ONNX model from its metadata, with <paramref name="overrides"/> filling (or
    /// replacing) classes, input size and normalisation. Throws naming the file and every missing field.
    /// </summary>
    /// <exception cref="InvalidDataException">A needed field is missing (and not supplied) or broken.</exception>
    /// <param name="m">The metadata.</param>
    /// <param name="source">The file, for messages.</param>
    /// <param name="overrides">What the user supplies.</param>
    /// <param name="graphChannels">The graph's fixed input channels (used when the metadata has no input size), or ≤ 0.</param>
    /// <param name="probabilities">Whether the graph outputs probabilities rather than logits.</param>
    public static ModelDescriptor Read(IReadOnlyDictionary<string, string> m, string source, OnnxOverrides? overrides, int graphChannels, out bool probabilities)
    {
        overrides ??= new OnnxOverrides();
        var missing = new List<string>();
        if (overrides.Classes is null && !m.ContainsKey(ClassesKey)) missing.Add($"{ClassesKey} (--classes)");
        if (overrides.Input is null && !m.ContainsKey(InputKey)) missing.Add($"{InputKey} (--input)");
        if (overrides.Normalization is null && !m.ContainsKey(NormalizationKey) && !m.ContainsKey(MeanKey)) missing.Add($"{NormalizationKey} (--normalize)");
        if (missing.Count > 0)
        {
            var what = m.ContainsKey(FormatKey) ? "its SharpVision metadata lacks" : "it has no SharpVision metadata; missing";
            throw new InvalidDataException($"{source}: {what} {string.Join(", ", missing)}; supply them with the options named");
        }
        try
        {
            var classes = overrides.Classes ?? JsonSerializer.Deserialize<string[]>(m[ClassesKey]) ?? throw new FormatException("classes is empty");
            if (classes.Count == 0) throw new FormatException("the class list is empty");
            var (c, h, w) = m.TryGetValue(InputKey, out var inputText) ? ParseInput(inputText) : (graphChannels > 0 ? graphChannels : 3, 0, 0);
            if (overrides.Input is { } size) (h, w) = size;
            var normalization = overrides.Normalization ?? ReadNormalization(m);
            var output = m.TryGetValue(OutputKey, out var o) ? o : "logits";
            if (output is not ("logits" or "probabilities")) throw new FormatException($"'{OutputKey}' = '{output}' is neither logits nor probabilities");
            probabilities = output == "probabilities";
            var architecture = m.TryGetValue("architecture", out var a) ? a : "onnx";
            return new ModelDescriptor
            {
                Architecture = architecture,
                Options = m.TryGetValue("model_options", out var mo) ? JsonSerializer.Deserialize<ModelOptions>(mo) ?? new ModelOptions() : new ModelOptions(),
                ClassNames = classes.ToArray(),
                InputChannels = c,
                InputHeight = h,
                InputWidth = w,
                Resize = m.TryGetValue(ResizeKey, out var r) ? Enum.Parse<ResizeMode>(r, ignoreCase: true) : ResizeMode.Stretch,
                Normalization = normalization,
                Training = m.TryGetValue("training", out var t) ? JsonSerializer.Deserialize<Dictionary<string, string>>(t) ?? new() : new Dictionary<string, string>(),
                Unknown = m.TryGetValue(UnknownDetector.MetadataKey, out var u) ? UnknownDetector.FromJson(u, source) : null,
            };
        }
        catch (Exception e) when (e is JsonException or FormatException or ArgumentException or OverflowException)
        {
            throw new InvalidDataException($"{source}: broken SharpVision metadata ({e.Message})", e);
        }
    }

    /// <summary>Parses "CxHxW".</summary>
    internal static (int C, int H, int W) ParseInput(string text)
    {
        var parts = text.Split('x');
        if (parts.Length != 3 || !parts.All(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0))
            throw new FormatException($"'{InputKey}' = '{text}' is not CxHxW");
        return (int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture), int.Parse(parts[2], CultureInfo.InvariantCulture));
    }

    private static Normalization ReadNormalization(IReadOnlyDictionary<string, string> m)
    {
        if (m.TryGetValue(NormalizationKey, out var json))
            return Normalization.FromMap(JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? new());
        // Written by another tool: plain mean/std lists.
        static double[] List(string s) => s.Split(',').Select(v => double.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray();
        return Normalization.Featurewise(List(m[MeanKey]), List(m.TryGetValue(StdKey, out var std) ? std : throw new FormatException($"'{MeanKey}' without '{StdKey}'")));
    }
}
