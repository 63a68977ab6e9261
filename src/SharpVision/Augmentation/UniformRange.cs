using System.Globalization;

namespace SharpVision.Augmentation;

/// <summary>A closed interval [<see cref="Low"/>, <see cref="High"/>] that a random factor is drawn from uniformly.</summary>
/// <param name="Low">The smallest value.</param>
/// <param name="High">The largest value (at least <paramref name="Low"/>).</param>
public readonly record struct UniformRange(double Low, double High)
{
    /// <summary>The value at fraction <paramref name="u"/> ∈ [0, 1) of the interval.</summary>
    public double At(double u) => Low + u * (High - Low);

    /// <summary>The compact form used by <see cref="AugmentationSpec"/>: "low:high".</summary>
    public override string ToString() =>
        Low.ToString("R", CultureInfo.InvariantCulture) + ":" + High.ToString("R", CultureInfo.InvariantCulture);
}
