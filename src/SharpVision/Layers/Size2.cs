namespace SharpVision.Layers;

/// <summary>A (height, width) pair for kernel sizes, strides and dilations; an int means the same for both.</summary>
/// <param name="H">Height component.</param>
/// <param name="W">Width component.</param>
public readonly record struct Size2(int H, int W)
{
    /// <summary>The same value for height and width.</summary>
    public static implicit operator Size2(int both) => new(both, both);

    /// <summary>From a (height, width) tuple.</summary>
    public static implicit operator Size2((int H, int W) hw) => new(hw.H, hw.W);

    /// <summary>As a tuple for <see cref="SharpVision.Engine.Functional"/>.</summary>
    public (int H, int W) Tuple => (H, W);

    /// <inheritdoc />
    public override string ToString() => $"({H}, {W})";
}
