using SharpVision.Engine;

namespace SharpVision.Augmentation;

/// <summary>
/// Scalar random numbers for rejection samplers, pulled in blocks from a <see cref="Generator"/> on the CPU so that the
/// stream (and so the result) is fully determined by the generator's state.
/// </summary>
internal sealed class RandomStream
{
    private const int BlockSize = 64;
    private readonly Generator generator;
    private double[] block = Array.Empty<double>();
    private int next;

    public RandomStream(Generator generator) => this.generator = generator;

    /// <summary>Uniform in (0, 1): zero is skipped so that logarithms stay finite.</summary>
    public double Uniform()
    {
        while (true)
        {
            if (next == block.Length)
            {
                using var t = Tensor.Rand(new long[] { BlockSize }, generator, DType.Float64);
                block = t.ToArray<double>();
                next = 0;
            }
            var u = block[next++];
            if (u > 0) return u;
        }
    }

    /// <summary>Standard normal (Box–Muller; one of the pair is used).</summary>
    public double Normal() => Math.Sqrt(-2 * Math.Log(Uniform())) * Math.Cos(2 * Math.PI * Uniform());

    /// <summary>Gamma(shape, 1) by Marsaglia and Tsang (2000), boosted for shape &lt; 1.</summary>
    public double Gamma(double shape)
    {
        if (shape < 1) return Gamma(shape + 1) * Math.Pow(Uniform(), 1 / shape);
        var d = shape - 1.0 / 3;
        var c = 1 / Math.Sqrt(9 * d);
        while (true)
        {
            double x, v;
            do
            {
                x = Normal();
                v = 1 + c * x;
            } while (v <= 0);
            v = v * v * v;
            var u = Uniform();
            if (u < 1 - 0.0331 * x * x * x * x || Math.Log(u) < 0.5 * x * x + d * (1 - v + Math.Log(v))) return d * v;
        }
    }

    /// <summary>Beta(a, b) as X/(X+Y) with X ~ Gamma(a), Y ~ Gamma(b).</summary>
    public double Beta(double a, double b)
    {
        var x = Gamma(a);
        var y = Gamma(b);
        var s = x + y;
        // Both underflow only for tiny α, where Beta(α, α) puts its mass at the two ends.
        return s > 0 ? x / s : Uniform() < 0.5 ? 0 : 1;
    }
}
