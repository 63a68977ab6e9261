using SharpVision.Engine;

namespace SharpVision.Layers;

/// <summary>x for x ≥ 0, slope·x otherwise.</summary>
public sealed class LeakyReLU : Module
{
    /// <summary>Creates the layer (PyTorch's default slope 0.01).</summary>
    public LeakyReLU(double negativeSlope = 0.01) : base("leaky_re_lu")
    {
        NegativeSlope = negativeSlope;
    }

    /// <summary>Slope for negative inputs.</summary>
    public double NegativeSlope { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => Functional.LeakyRelu(input, NegativeSlope);
}
