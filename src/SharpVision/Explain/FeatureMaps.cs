using SharpVision.Engine;
using SharpVision.Layers;

namespace SharpVision.Explain;

/// <summary>Captures what a layer computes for an image (the activations of every channel).</summary>
public static class FeatureMaps
{
    /// <summary>
    /// Runs <paramref name="model"/> (put it in eval mode first) on one prepared image [1, C, H, W] up to
    /// <paramref name="layer"/> and returns that layer's activations.
    /// </summary>
    /// <exception cref="ArgumentException">The input is not one image, or the layer's output is not a feature map (N, C, H, W).</exception>
    public static FeatureMapCapture Capture(Module model, Tensor input, ExplainableLayer layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentNullException.ThrowIfNull(input);
        if (input.Dim != 4 || input.Shape[0] != 1) throw new ArgumentException($"expected one prepared image [1, C, H, W], got {input}", nameof(input));
        using var scope = Torch.NewDisposeScope();
        using var noGrad = Torch.NoGrad();
        var output = LayerProbe.Run(model, input, layer.Module);
        if (output.Dim != 4)
            throw new ArgumentException($"layer '{layer.Label}' outputs shape [{string.Join(", ", output.Shape)}], not feature maps [N, C, H, W]; choose a convolutional layer");
        var s = output.Shape;
        var values = output.To(DType.Float32).Contiguous().ToArray<float>();
        return new FeatureMapCapture(layer.Path, values, (int)s[1], (int)s[2], (int)s[3]);
    }
}
