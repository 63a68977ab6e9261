using SharpVision.Engine;

namespace SharpVision.Layers;

/// <summary>max(0, x) (torch.nn.ReLU / Keras ReLU).</summary>
public sealed class ReLU : Module
{
    /// <summary>Creates the layer.</summary>
    public ReLU() : base("re_lu") { }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => Functional.Relu(input);
}
