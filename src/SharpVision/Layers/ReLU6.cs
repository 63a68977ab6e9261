using SharpVision.Engine;

namespace SharpVision.Layers;

/// <summary>min(max(0, x), 6), as MobileNetV2 uses.</summary>
public sealed class ReLU6 : Module
{
    /// <summary>Creates the layer.</summary>
    public ReLU6() : base("re_lu6") { }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => Functional.Relu6(input);
}
