namespace SharpVision.Onnx;

/// <summary>How <see cref="OnnxExporter"/> writes a model.</summary>
public sealed record OnnxExportOptions
{
    /// <summary>End the graph with softmax (sigmoid → [1 − p, p] for a single-unit model): the output is probabilities.</summary>
    public bool Softmax { get; init; }

    /// <summary>The ONNX operator set (17 or newer; the export uses no operator changed since 17).</summary>
    public int Opset { get; init; } = OnnxExporter.DefaultOpset;
}
