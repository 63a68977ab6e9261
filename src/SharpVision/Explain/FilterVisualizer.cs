using SharpVision.Engine;
using SharpVision.Imaging;
using SharpVision.Layers;

namespace SharpVision.Explain;

/// <summary>
/// Filter visualisation by gradient ascent in input space (Erhan et al. 2009; Chollet, "Deep Learning with Python"
/// §9.4): start from mid-grey plus a little seeded noise and repeatedly move the image along the normalised gradient
/// of the mean activation of one channel, with optional jitter and blur as regularisers. The result is the pattern
/// that channel responds to most.
/// </summary>
public static class FilterVisualizer
{
    /// <summary>
    /// Finds the pattern maximising the mean activation of <paramref name="channel"/> of <paramref name="layer"/>.
    /// </summary>
    /// <param name="model">The network, in eval mode. Its parameters and their gradients are left unchanged.</param>
    /// <param name="layer">The layer whose channel to excite.</param>
    /// <param name="channel">The channel (filter) index.</param>
    /// <param name="inputChannels">Image channels of the model (1 or 3).</param>
    /// <param name="height">Input height.</param>
    /// <param name="width">Input width.</param>
    /// <param name="normalize">Maps a float [0, 1] image batch to the model's input (its normalisation); must be differentiable tensor ops.</param>
    /// <param name="options">Steps, step size, regularisation and seed.</param>
    /// <exception cref="ArgumentException">The channel is out of range or the layer's output is not a feature map.</exception>
    public static FilterVisualization Visualize(Module model, ExplainableLayer layer, int channel, int inputChannels, int height, int width,
        Func<Tensor, Tensor> normalize, FilterVisualizationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentNullException.ThrowIfNull(normalize);
        options ??= new FilterVisualizationOptions();
        options.Validate();
        if (inputChannels < 1 || height < 1 || width < 1) throw new ArgumentException($"input must be positive, got {inputChannels}×{height}×{width}");

        using var scope = Torch.NewDisposeScope();
        using var paramsOff = new ParameterGradientsOff(model);
        using var generator = new Generator(unchecked((ulong)options.Seed));
        var image = ((Tensor.Rand(new long[] { 1, inputChannels, height, width }, generator) - 0.5) * (2 * options.InitialNoise) + 0.5)
            .Clamp(0, 1).Detach().RequiresGrad_();

        var initial = Measure(image, 0, 0);
        var history = new double[options.Steps];
        for (var step = 0; step < options.Steps; step++)
        {
            using var stepScope = Torch.NewDisposeScope();
            var (dx, dy) = options.Jitter > 0 ? Shift(generator, options.Jitter) : (0, 0);
            var objective = Objective(Roll(image, dx, dy));
            history[step] = objective.Item();
            objective.Backward();
            using var grad = image.Grad;
            image.ZeroGrad();
            if (grad is null) break;
            using var noGrad = Torch.NoGrad();
            var rms = grad.Pow(2).Mean().Sqrt().Item();
            if (!(rms > 0) || !double.IsFinite(rms)) break; // no signal (e.g. a channel dead for this input): nothing to ascend
            image.Add_(grad, options.StepSize / rms);
            image.Clamp_(0, 1);
            if (options.BlurEvery > 0 && (step + 1) % options.BlurEvery == 0 && step + 1 < options.Steps) image.Copy_(Blur(image));
        }
        var final = Measure(image, 0, 0);
        using var done = image.Detach();
        return new FilterVisualization
        {
            Layer = layer.Path,
            Channel = channel,
            Image = ToDisplayImage(done),
            InitialActivation = initial,
            FinalActivation = final,
            History = history,
        };

        Tensor Objective(Tensor x)
        {
            var activation = LayerProbe.Run(model, normalize(x), layer.Module);
            if (activation.Dim != 4)
                throw new ArgumentException($"layer '{layer.Label}' outputs shape [{string.Join(", ", activation.Shape)}], not feature maps [N, C, H, W]; choose a convolutional layer");
            var channels = activation.Shape[1];
            if ((uint)channel >= (ulong)channels)
                throw new ArgumentException($"filter {channel} is out of range: layer '{layer.Label}' has {channels} channels (0..{channels - 1})", nameof(channel));
            return activation.Select(1, channel).Mean();
        }

        double Measure(Tensor x, int dx, int dy)
        {
            using var s = Torch.NewDisposeScope();
            using var noGrad = Torch.NoGrad();
            return Objective(Roll(x, dx, dy)).Item();
        }
    }

    /// <summary>
    /// The pattern for display: contrast-stretched around its mean (mean 0.5, standard deviation 0.15, clipped), as in
    /// Keras' deprocess_image, because the raw optimum is a faint texture on grey.
    /// </summary>
    private static RgbImage ToDisplayImage(Tensor image)
    {
        using var scope = Torch.NewDisposeScope();
        var x = image.Squeeze(0); // [C, H, W]
        var centred = x - x.Mean();
        var std = centred.Pow(2).Mean().Sqrt().Item();
        var stretched = std > 1e-8 ? centred * (0.15 / std) + 0.5 : x;
        var bytes = (stretched.Clamp(0, 1) * 255.0).Round().To(DType.UInt8).Permute(1, 2, 0).Contiguous().ToArray<byte>();
        var s = x.Shape;
        return new RgbImage((int)s[2], (int)s[1], (int)s[0], bytes);
    }

    private static (int Dx, int Dy) Shift(Generator generator, int jitter)
    {
        using var t = Tensor.Randint(-jitter, jitter + 1, new long[] { 2 }, generator);
        var v = t.ToArray<long>();
        return ((int)v[0], (int)v[1]);
    }

    /// <summary>Circular shift along width (dx) and height (dy), differentiable.</summary>
    private static Tensor Roll(Tensor x, int dx, int dy)
    {
        var result = x.Alias();
        if (dx != 0) result = RollDim(result, 3, dx);
        if (dy != 0) result = RollDim(result, 2, dy);
        return result;
    }

    private static Tensor RollDim(Tensor x, long dim, int shift)
    {
        var n = x.Shape[dim];
        var s = ((shift % n) + n) % n;
        if (s == 0) return x;
        return Tensor.Cat(new[] { x.Narrow(dim, n - s, s), x.Narrow(dim, 0, n - s) }, dim);
    }

    /// <summary>3×3 binomial blur per channel with edge replication.</summary>
    private static Tensor Blur(Tensor x)
    {
        var c = (int)x.Shape[1];
        float[] k = [1, 2, 1, 2, 4, 2, 1, 2, 1];
        var kernel = Tensor.FromArray(Enumerable.Repeat(k, c).SelectMany(v => v.Select(e => e / 16f)).ToArray(), c, 1, 3, 3).To(x.Device).To(x.DType);
        var padded = Functional.Pad(x, new long[] { 1, 1, 1, 1 }, PadMode.Replicate);
        return Functional.Conv2d(padded, kernel, null, groups: c);
    }
}
