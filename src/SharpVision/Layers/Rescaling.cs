using SharpVision.Engine;

namespace SharpVision.Layers;

/// <summary>
/// y = x·scale + offset (Keras Rescaling), e.g. scale 1/255 to map 0..255 pixels to [0, 1]. Integer inputs are
/// converted to float32 first.
/// </summary>
public sealed class Rescaling : Module
{
    /// <summary>Creates the layer.</summary>
    public Rescaling(double scale, double offset = 0) : base("rescaling")
    {
        if (!double.IsFinite(scale) || !double.IsFinite(offset)) throw new ArgumentException($"scale and offset must be finite, got {scale}, {offset}");
        Scale = scale;
        Offset = offset;
    }

    /// <summary>Multiplier.</summary>
    public double Scale { get; }
    /// <summary>Added after scaling.</summary>
    public double Offset { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        if (input.DType is DType.Float32 or DType.Float64 or DType.Float16 or DType.BFloat16)
            return Scaled(input);
        using var f = input.To(DType.Float32);
        return Scaled(f);
    }

    private Tensor Scaled(Tensor x)
    {
        if (Offset == 0) return x.Mul(Scale);
        using var m = x.Mul(Scale);
        return m.Add(Offset);
    }

    /// <inheritdoc />
    protected override string ExtraRepr => $"scale={Scale}, offset={Offset}";
}
