using SharpVision.Engine;

namespace SharpVision.Layers;

/// <summary>Logistic sigmoid.</summary>
public sealed class Sigmoid : Module
{
    /// <summary>Creates the layer.</summary>
    public Sigmoid() : base("sigmoid") { }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => Functional.Sigmoid(input);
}
