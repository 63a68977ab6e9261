using SharpVision.Engine;

namespace SharpVision.Layers;

/// <summary>Softmax along a dimension (default 1, the class dimension of [N, C]).</summary>
public sealed class Softmax : Module
{
    /// <summary>Creates the layer.</summary>
    public Softmax(int dim = 1) : base("softmax")
    {
        Dimension = dim;
    }

    /// <summary>The normalised dimension.</summary>
    public int Dimension { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => Functional.Softmax(input, Dimension);
}
