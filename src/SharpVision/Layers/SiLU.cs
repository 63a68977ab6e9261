using SharpVision.Engine;

namespace SharpVision.Layers;

/// <summary>x·σ(x) (swish).</summary>
public sealed class SiLU : Module
{
    /// <summary>Creates the layer.</summary>
    public SiLU() : base("silu") { }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => Functional.Silu(input);
}
