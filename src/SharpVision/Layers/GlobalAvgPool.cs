using SharpVision.Engine;

namespace SharpVision.Layers;

/// <summary>
/// Global average pooling (Keras GlobalAveragePooling2D): [N, C, H, W] → [N, C] when <see cref="Flatten"/>,
/// otherwise [N, C, 1, 1] (torch AdaptiveAvgPool2d(1)).
/// </summary>
public sealed class GlobalAvgPool : Module
{
    /// <summary>Creates the layer.</summary>
    public GlobalAvgPool(bool flatten = true) : base("global_average_pooling2d")
    {
        Flatten = flatten;
    }

    /// <summary>Whether the output is flattened to [N, C].</summary>
    public bool Flatten { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        if (input.Dim != 4) throw new ArgumentException($"{Name}: expected an NCHW input, got {input}", nameof(input));
        var pooled = Functional.AdaptiveAvgPool2d(input, (1, 1));
        if (!Flatten) return pooled;
        using (pooled) return pooled.Flatten(1);
    }

    /// <inheritdoc />
    protected override string ExtraRepr => $"flatten={Flatten}";
}
