using SharpVision.Engine;

namespace SharpVision.Layers;

/// <summary>Zeroes each element with probability p in training mode and scales the rest by 1/(1−p); identity in eval.</summary>
public sealed class Dropout : Module
{
    /// <summary>Creates the layer.</summary>
    public Dropout(double p = 0.5) : base("dropout")
    {
        if (p < 0 || p >= 1) throw new ArgumentOutOfRangeException(nameof(p), p, "dropout probability must be in [0, 1)");
        P = p;
    }

    /// <summary>Drop probability.</summary>
    public double P { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => Functional.Dropout(input, P, Training);

    /// <inheritdoc />
    protected override string ExtraRepr => $"p={P}";
}
