namespace SharpVision.Engine;

/// <summary>Kinds of compute device.</summary>
public enum DeviceType
{
    /// <summary>The host processor.</summary>
    Cpu = 0,
    /// <summary>An NVIDIA GPU through CUDA.</summary>
    Cuda = 1,
}

/// <summary>A compute device: the CPU or one CUDA GPU.</summary>
/// <param name="Type">The kind of device.</param>
/// <param name="Index">The GPU ordinal (-1 for the CPU).</param>
public readonly record struct Device(DeviceType Type, int Index = -1)
{
    /// <summary>The CPU.</summary>
    public static Device Cpu { get; } = new(DeviceType.Cpu, -1);

    /// <summary>CUDA GPU number <paramref name="index"/>.</summary>
    public static Device Cuda(int index = 0) => new(DeviceType.Cuda, index);

    /// <summary>True for a CUDA device.</summary>
    public bool IsCuda => Type == DeviceType.Cuda;

    /// <summary>Parses "cpu", "cuda" or "cuda:N".</summary>
    /// <exception cref="FormatException">The text names no device.</exception>
    public static Device Parse(string text)
    {
        var t = text.Trim().ToLowerInvariant();
        if (t == "cpu") return Cpu;
        if (t == "cuda" || t == "gpu") return Cuda(0);
        if (t.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(t.AsSpan(5), out var i) && i >= 0) return Cuda(i);
        throw new FormatException($"'{text}' is not a device: use cpu, cuda or cuda:N");
    }

    /// <inheritdoc />
    public override string ToString() => Type == DeviceType.Cpu ? "cpu" : $"cuda:{Math.Max(Index, 0)}";
}
