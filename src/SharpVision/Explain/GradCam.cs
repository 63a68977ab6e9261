using SharpVision.Engine;
using SharpVision.Layers;

namespace SharpVision.Explain;

/// <summary>
/// Grad-CAM (Selvaraju et al. 2017): the target layer's activations A_k weighted by the spatial mean of the class
/// score's gradient with respect to them, w_k = mean_ij ∂y_c/∂A_k(i,j), then CAM = ReLU(Σ_k w_k A_k). The class
/// score is the pre-softmax output (for a single sigmoid unit: the logit for class 1, its negation for class 0).
/// </summary>
public static class GradCam
{
    /// <summary>
    /// Explains the prediction of <paramref name="model"/> (in eval mode) for one prepared image [1, C, H, W] at
    /// <paramref name="layer"/>, for <paramref name="classIndex"/> or, when null, the predicted class. Parameter
    /// gradients are neither computed nor changed.
    /// </summary>
    /// <exception cref="ArgumentException">Bad input, class index out of range, or the layer's output is not a feature map.</exception>
    public static GradCamResult Compute(Module model, Tensor input, ExplainableLayer layer, int? classIndex = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(layer);
        if (input.Dim != 4 || input.Shape[0] != 1) throw new ArgumentException($"expected one prepared image [1, C, H, W], got {input}", nameof(input));
        using var scope = Torch.NewDisposeScope();
        using var paramsOff = new ParameterGradientsOff(model);
        // The input requires grad so that every activation does, even in a frozen model.
        var x = input.Detach().To(DType.Float32).RequiresGrad_();
        var (output, activation) = LayerProbe.RunWithActivation(model, x, layer.Module);
        if (activation.Dim != 4)
            throw new ArgumentException($"layer '{layer.Label}' outputs shape [{string.Join(", ", activation.Shape)}], not feature maps [N, C, H, W]; choose a convolutional layer");
        activation.RetainGrad();
        var logits = output.Dim == 2 ? output : output.Flatten(1);
        var units = (int)logits.Shape[1];
        var classes = units == 1 ? 2 : units;
        float[] probabilities;
        using (Torch.NoGrad())
        {
            var p = units == 1 ? logits.Sigmoid() : logits.Softmax(1);
            var row = p.ToArray<float>();
            probabilities = units == 1 ? new[] { 1 - row[0], row[0] } : row;
        }
        var target = classIndex ?? ArgMax(probabilities);
        if ((uint)target >= (uint)classes) throw new ArgumentException($"class index {target} is out of range: the model has {classes} classes", nameof(classIndex));
        var score = units == 1 ? (target == 1 ? logits.Select(1, 0) : -logits.Select(1, 0)) : logits.Select(1, target);
        score.Sum().Backward();

        using var grad = activation.Grad ?? throw new InvalidOperationException($"no gradient reached layer '{layer.Label}'");
        using var noGrad = Torch.NoGrad();
        var weights = grad.Mean(new long[] { 2, 3 }, keepDim: true);
        var a = activation.Detach();
        var cam = (a * weights).Sum(new long[] { 1 }).Relu(); // [1, H', W']
        int h = (int)cam.Shape[1], w = (int)cam.Shape[2];
        var values = cam.To(DType.Float32).Contiguous().ToArray<float>();
        var heat = new float[h, w];
        Buffer.BlockCopy(values, 0, heat, 0, values.Length * sizeof(float));
        return new GradCamResult
        {
            Layer = layer.Path,
            ClassIndex = target,
            Probabilities = probabilities,
            Heat = heat,
            ChannelWeights = weights.To(DType.Float32).Flatten().ToArray<float>(),
        };
    }

    private static int ArgMax(float[] values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
            if (values[i] > values[best]) best = i;
        return best;
    }
}
