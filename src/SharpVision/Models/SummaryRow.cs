namespace SharpVision.Models;

/// <summary>One layer of a <see cref="ModelSummary"/>.</summary>
/// <param name="Name">Keras-style unique display name (conv2d, conv2d_1, dense, …).</param>
/// <param name="Path">torchvision-style dotted module path (features.0.0).</param>
/// <param name="Type">The layer's class name.</param>
/// <param name="OutputShape">Output shape for a batch of one (NCHW), or null when the layer did not run in the pass
/// (e.g. Inception's auxiliary head in eval mode).</param>
/// <param name="Parameters">Number of parameter scalars of this layer (0 on a repeated call of a shared layer).</param>
/// <param name="Trainable">True when every parameter of the layer requires grad, false when frozen, null without parameters.</param>
/// <param name="MultAdds">Multiply-accumulates of this layer's calls in the probe pass (batch 1): counted for convolutions,
/// transposed convolutions and dense layers, as torchvision's published GFLOPS figures are; 0 for every other layer.</param>
public sealed record SummaryRow(string Name, string Path, string Type, long[]? OutputShape, long Parameters, bool? Trainable, long MultAdds = 0)
{
    /// <summary>Keras-like shape text with the batch as None, e.g. "(None, 32, 122, 122)"; "-" when the layer did not run.</summary>
    public string ShapeText => OutputShape is null ? "-" : "(None" + string.Concat(OutputShape.Skip(1).Select(d => ", " + d)) + ")";
}
