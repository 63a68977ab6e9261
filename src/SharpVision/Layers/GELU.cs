using SharpVision.Engine;

namespace SharpVision.Layers;

/// <summary>Gaussian error linear unit (exact, or the tanh approximation).</summary>
public sealed class GELU : Module
{
    /// <summary>Creates the layer.</summary>
    public GELU(bool tanhApproximation = false) : base("gelu")
    {
        TanhApproximation = tanhApproximation;
    }

    /// <summary>Whether the tanh approximation is used.</summary>
    public bool TanhApproximation { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => Functional.Gelu(input, TanhApproximation);
}
