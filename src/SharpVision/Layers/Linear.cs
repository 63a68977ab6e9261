using SharpVision.Engine;

namespace SharpVision.Layers;

/// <summary>
/// Fully connected layer (torch.nn.Linear / Keras Dense): y = x·Wᵀ + b with weight [out, in], optional fused activation.
/// </summary>
public sealed class Linear : Module
{
    /// <summary>Creates the layer with PyTorch's default initialisation.</summary>
    public Linear(int inFeatures, int outFeatures, bool bias = true, Activation activation = Activation.None)
        : base("dense")
    {
        if (inFeatures <= 0) throw new ArgumentOutOfRangeException(nameof(inFeatures), inFeatures, "input features must be positive");
        if (outFeatures <= 0) throw new ArgumentOutOfRangeException(nameof(outFeatures), outFeatures, "output features must be positive");
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        Activation = activation;
        Weight = RegisterParameter("weight", Tensor.Empty(new long[] { outFeatures, inFeatures }));
        if (bias) Bias = RegisterParameter("bias", Tensor.Empty(new long[] { outFeatures }));
        Init.TorchDefault(Weight.Value, Bias?.Value);
    }

    /// <summary>Input features.</summary>
    public int InFeatures { get; }
    /// <summary>Output features (units).</summary>
    public int OutFeatures { get; }
    /// <summary>Fused activation.</summary>
    public Activation Activation { get; }
    /// <summary>Weight [out, in].</summary>
    public Parameter Weight { get; }
    /// <summary>Bias [out], or null.</summary>
    public Parameter? Bias { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        var f = input.Size(-1);
        if (f != InFeatures) throw new ArgumentException($"{Name}: expected {InFeatures} input features, got {input} (flatten first?)", nameof(input));
        return Activations.ApplyAndDispose(Activation, Functional.Linear(input, Weight.Value, Bias?.Value));
    }

    /// <inheritdoc />
    protected override string ExtraRepr =>
        $"in_features={InFeatures}, out_features={OutFeatures}, bias={Bias is not null}" + (Activation != Activation.None ? $", activation={Activation}" : "");
}
