using SharpVision.Engine;

namespace SharpVision.Layers;

/// <summary>Hyperbolic tangent.</summary>
public sealed class Tanh : Module
{
    /// <summary>Creates the layer.</summary>
    public Tanh() : base("tanh") { }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => Functional.Tanh(input);
}
