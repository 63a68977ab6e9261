using SharpVision.Engine;

namespace SharpVision.Layers;

/// <summary>
/// Channel dropout (Keras SpatialDropout2D, torch.nn.Dropout2d): in training mode whole feature maps are zeroed with
/// probability p and the rest scaled by 1/(1−p); identity in eval.
/// </summary>
public sealed class SpatialDropout : Module
{
    /// <summary>Creates the layer.</summary>
    public SpatialDropout(double p = 0.5) : base("spatial_dropout2d")
    {
        if (p < 0 || p >= 1) throw new ArgumentOutOfRangeException(nameof(p), p, "dropout probability must be in [0, 1)");
        P = p;
    }

    /// <summary>Drop probability per channel.</summary>
    public double P { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        if (input.Dim != 4) throw new ArgumentException($"{Name}: expected an NCHW input, got {input}", nameof(input));
        return Functional.Dropout2d(input, P, Training);
    }

    /// <inheritdoc />
    protected override string ExtraRepr => $"p={P}";
}
