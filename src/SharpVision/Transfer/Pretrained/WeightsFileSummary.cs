using System.Globalization;
using System.Text;
using SharpVision.Engine;
using SharpVision.Engine.IO;

namespace SharpVision.Transfer.Pretrained;

/// <summary>What a safetensors weights file holds: tensors (name, dtype, shape), counts and metadata, read from the header only.</summary>
public sealed record WeightsFileSummary
{
    /// <summary>The file.</summary>
    public required string Path { get; init; }

    /// <summary>File size in bytes.</summary>
    public required long FileBytes { get; init; }

    /// <summary>The tensors in data order.</summary>
    public required IReadOnlyList<SafeTensorInfo> Tensors { get; init; }

    /// <summary>The header's metadata.</summary>
    public required IReadOnlyDictionary<string, string> Metadata { get; init; }

    /// <summary>Scalars in all tensors.</summary>
    public long TotalValues => Tensors.Sum(t => t.NumberOfElements);

    /// <summary>Scalars in learnable parameters: floating-point tensors other than BatchNorm running statistics.</summary>
    public long ParameterCount => Tensors.Where(IsParameter).Sum(t => t.NumberOfElements);

    /// <summary>True for tensors that are buffers rather than parameters (running_mean, running_var, num_batches_tracked).</summary>
    public static bool IsBuffer(SafeTensorInfo t) =>
        t.Name.EndsWith(".running_mean", StringComparison.Ordinal) || t.Name.EndsWith(".running_var", StringComparison.Ordinal) ||
        t.Name.EndsWith("num_batches_tracked", StringComparison.Ordinal) || t.DType is DType.Int64 or DType.Int32 or DType.UInt8 or DType.Bool;

    private static bool IsParameter(SafeTensorInfo t) => !IsBuffer(t);

    /// <summary>Reads the header of <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">Neither a safetensors file nor a PyTorch state dict; names the file.</exception>
    public static WeightsFileSummary Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"weights file not found: {path}", path);
        using var file = PretrainedWeights.OpenWeights(path);
        return new WeightsFileSummary
        {
            Path = path,
            FileBytes = new FileInfo(path).Length,
            Tensors = file.Tensors,
            Metadata = new Dictionary<string, string>(file.Metadata),
        };
    }

    /// <summary>
    /// A readable report: metadata, one row per tensor (up to <paramref name="maxRows"/>; null = all), dtype totals and
    /// the parameter count.
    /// </summary>
    public string Describe(int? maxRows = null)
    {
        var sb = new StringBuilder();
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"{Path}  ({FileBytes:N0} bytes, {Tensors.Count} tensors)"));
        if (Metadata.Count > 0)
        {
            sb.AppendLine("metadata:");
            foreach (var (k, v) in Metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                sb.AppendLine($"  {k}: {(v.Length > 200 ? v[..200] + "…" : v)}");
        }
        var width = Math.Max(4, Tensors.Count == 0 ? 4 : Tensors.Max(t => t.Name.Length));
        sb.AppendLine($"{"name".PadRight(width)}  dtype    {"shape",-22} values");
        var rows = maxRows is { } m ? Tensors.Take(m) : Tensors;
        foreach (var t in rows)
        {
            var shape = "[" + string.Join(", ", t.Shape) + "]";
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"{t.Name.PadRight(width)}  {t.DType.SafetensorsName(),-7}  {shape,-22} {t.NumberOfElements:N0}"));
        }
        if (maxRows is { } max && Tensors.Count > max) sb.AppendLine($"… {Tensors.Count - max} more (use --all)");
        foreach (var g in Tensors.GroupBy(t => t.DType).OrderBy(g => g.Key.ToString(), StringComparer.Ordinal))
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"dtype {g.Key.SafetensorsName()}: {g.Count()} tensors, {g.Sum(t => t.NumberOfElements):N0} values"));
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"total values: {TotalValues:N0}"));
        sb.Append(string.Create(CultureInfo.InvariantCulture, $"parameters: {ParameterCount:N0} (without BatchNorm running statistics and integer buffers)"));
        return sb.ToString();
    }
}
