using System.Globalization;
using System.Text.Json;
using SharpVision.Data;
using SharpVision.Engine;
using SharpVision.Engine.IO;
using SharpVision.Layers;

namespace SharpVision.Models;

/// <summary>
/// The model file: ONE .safetensors file with the weights under torchvision names and the
/// <see cref="ModelDescriptor"/> in its metadata, so that predict, evaluate and serve need nothing else. The same file
/// loads in PyTorch (safetensors.torch.load_file) as a plain state dict.
/// </summary>
public static class ModelFile
{
    /// <summary>The metadata "format" value.</summary>
    public const string Format = "sharpvision-model-v1";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    /// <summary>Writes the model atomically (temp file, fsync, rename).</summary>
    public static void Save(string path, Module model, ModelDescriptor descriptor)
    {
        var state = model.StateDict();
        try
        {
            using var scope = Torch.NewDisposeScope();
            var cpu = state.Select(kv => new KeyValuePair<string, Tensor>(kv.Key, kv.Value.Detach().To(Device.Cpu).Contiguous())).ToList();
            SafeTensors.Save(path, cpu, ToMetadata(descriptor));
        }
        finally
        {
            foreach (var t in state.Values) t.Dispose();
        }
    }

    /// <summary>The metadata map written into the file.</summary>
    public static Dictionary<string, string> ToMetadata(ModelDescriptor d)
    {
        var metadata = BaseMetadata(d);
        if (d.Unknown is { } unknown) metadata[UnknownDetector.MetadataKey] = unknown.ToJson();
        return metadata;
    }

    private static Dictionary<string, string> BaseMetadata(ModelDescriptor d) => new()
    {
        ["format"] = Format,
        ["architecture"] = d.Architecture,
        ["model_options"] = JsonSerializer.Serialize(d.Options, Json),
        ["classes"] = JsonSerializer.Serialize(d.ClassNames, Json),
        ["input"] = string.Create(CultureInfo.InvariantCulture, $"{d.InputChannels}x{d.InputHeight}x{d.InputWidth}"),
        ["resize"] = d.Resize.ToString(),
        ["normalization"] = JsonSerializer.Serialize(d.Normalization.ToMap(), Json),
        ["training"] = JsonSerializer.Serialize(d.Training, Json),
    };

    /// <summary>Reads the descriptor without loading the weights.</summary>
    /// <exception cref="InvalidDataException">Not a SharpVision model file, or a metadata field is broken (named).</exception>
    public static ModelDescriptor ReadDescriptor(string path)
    {
        using var file = SafeTensorsFile.Open(path);
        return ParseMetadata(file.Metadata, path);
    }

    /// <summary>Parses the metadata map.</summary>
    public static ModelDescriptor ParseMetadata(IReadOnlyDictionary<string, string> m, string source)
    {
        string Field(string key) => m.TryGetValue(key, out var v) ? v
            : throw new InvalidDataException($"{source}: not a SharpVision model file (metadata field '{key}' is missing; a plain weights file can be used with --pretrained)");
        if (Field("format") != Format) throw new InvalidDataException($"{source}: unknown model format '{m["format"]}' (expected {Format})");
        try
        {
            var input = Field("input").Split('x');
            if (input.Length != 3) throw new FormatException("input must be CxHxW");
            return new ModelDescriptor
            {
                Architecture = Field("architecture"),
                Options = JsonSerializer.Deserialize<ModelOptions>(Field("model_options")) ?? throw new FormatException("model_options is empty"),
                ClassNames = JsonSerializer.Deserialize<string[]>(Field("classes")) ?? throw new FormatException("classes is empty"),
                InputChannels = int.Parse(input[0], CultureInfo.InvariantCulture),
                InputHeight = int.Parse(input[1], CultureInfo.InvariantCulture),
                InputWidth = int.Parse(input[2], CultureInfo.InvariantCulture),
                Resize = Enum.Parse<ResizeMode>(Field("resize")),
                Normalization = Normalization.FromMap(JsonSerializer.Deserialize<Dictionary<string, string>>(Field("normalization")) ?? new()),
                Training = m.TryGetValue("training", out var t) ? JsonSerializer.Deserialize<Dictionary<string, string>>(t) ?? new() : new Dictionary<string, string>(),
                Unknown = m.TryGetValue(UnknownDetector.MetadataKey, out var u) ? UnknownDetector.FromJson(u, source) : null,
            };
        }
        catch (Exception e) when (e is JsonException or FormatException or ArgumentException or OverflowException)
        {
            throw new InvalidDataException($"{source}: broken model metadata ({e.Message})", e);
        }
    }

    /// <summary>Builds the architecture, loads the weights (strict) and moves the model to <paramref name="device"/> in eval mode.</summary>
    public static (Module Model, ModelDescriptor Descriptor) Load(string path, Device? device = null)
    {
        using var file = SafeTensorsFile.Open(path);
        var descriptor = ParseMetadata(file.Metadata, path);
        if (!ModelZoo.Contains(descriptor.Architecture))
            throw new InvalidDataException($"{path}: architecture '{descriptor.Architecture}' is not in this build's model zoo ({string.Join(", ", ModelZoo.Names)})");
        var model = ModelZoo.Create(descriptor.Architecture, descriptor.Options);
        try
        {
            var weights = file.LoadAll();
            try
            {
                model.LoadStateDict(weights, strict: true);
            }
            finally
            {
                foreach (var t in weights.Values) t.Dispose();
            }
            if (device is { } d) model.To(d);
            model.Eval();
            return (model, descriptor);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }
}
