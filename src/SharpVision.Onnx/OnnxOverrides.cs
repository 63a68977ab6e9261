using SharpVision.Data;

namespace SharpVision.Onnx;

/// <summary>
/// What the user supplies for an ONNX model without SharpVision's metadata (or to replace it): class names, input
/// size and normalisation. Null fields come from the file.
/// </summary>
public sealed record OnnxOverrides
{
    /// <summary>Class names in output order.</summary>
    public IReadOnlyList<string>? Classes { get; init; }

    /// <summary>Input height and width (channels come from the metadata or the graph).</summary>
    public (int Height, int Width)? Input { get; init; }

    /// <summary>True when nothing is overridden.</summary>
    public bool IsEmpty => Classes is null && Input is null && Normalization is null;

    /// <summary>How pixels are normalised.</summary>
    public Normalization? Normalization { get; init; }
}
