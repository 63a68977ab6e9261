using SharpVision.Engine;

namespace SharpVision.Layers;

/// <summary>Concatenates its inputs along a dimension (default 1 = channels of NCHW; Keras' channels-last axis −1).</summary>
public sealed class Concatenate : MergeLayer
{
    /// <summary>Creates the layer.</summary>
    public Concatenate(int dim = 1) : base("concatenate")
    {
        Dimension = dim;
    }

    /// <summary>The concatenation dimension.</summary>
    public int Dimension { get; }

    /// <inheritdoc />
    public override Tensor Forward(IReadOnlyList<Tensor> inputs)
    {
        if (inputs.Count == 0) throw new ArgumentException($"{Name}: needs at least one input", nameof(inputs));
        return Tensor.Cat(inputs, Dimension);
    }
}
