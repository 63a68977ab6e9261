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

    /// <summary>Input channels, height and width.</summary>
    public (int Channels, int Height, int Width)? Input { get; init; }

    /// <summary>How pixels are normalised.</summary>
    public Normalization? Normalization { get; init; }
}
