using SharpVision.Engine;

namespace SharpVision.Layers;

/// <summary>
/// Weight initialisers (torch.nn.init / Keras initializers). They fill tensors in place without recording autograd
/// and draw from libtorch's default generator, so construction is deterministic after <see cref="Torch.ManualSeed"/>,
/// or, inside <see cref="UseGenerator"/>, from a generator of the caller's.
/// </summary>
public static class Init
{
    private static readonly AsyncLocal<Generator?> Ambient = new();

    /// <summary>
    /// Until the returned scope is disposed, every initialiser called on this thread (and in the async flow it starts)
    /// draws from <paramref name="generator"/> instead of libtorch's process-wide generator. A model built in the scope
    /// with a generator seeded <c>s</c> has the weights <see cref="Torch.ManualSeed"/>(s) gives it when nothing else
    /// draws in between, and draws on other threads (tests in parallel, a server building several models) cannot change
    /// them. The caller keeps ownership of the generator; scopes nest.
    /// </summary>
    /// <example><code>
    /// using var generator = new Generator(42);
    /// using (Init.UseGenerator(generator)) model = ModelZoo.Create("resnet18", options);
    /// </code></example>
    public static IDisposable UseGenerator(Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        var previous = Ambient.Value;
        Ambient.Value = generator;
        return new GeneratorScope(previous);
    }

    private sealed class GeneratorScope(Generator? previous) : IDisposable
    {
        private bool disposed;

        public void Dispose()
        {
            if (disposed) return;
            disposed = true;
            Ambient.Value = previous;
        }
    }

    /// <summary>(fan_in, fan_out) of a Linear [out, in] or Conv [out, in/groups, kh, kw] weight, as PyTorch computes them.</summary>
    public static (long FanIn, long FanOut) Fans(Tensor weight)
    {
        var s = weight.Shape;
        if (s.Length < 2) throw new ArgumentException($"fan in/out needs a weight with at least 2 dimensions, got [{string.Join(", ", s)}]", nameof(weight));
        long receptive = 1;
        for (var i = 2; i < s.Length; i++) receptive *= s[i];
        return (s[1] * receptive, s[0] * receptive);
    }

    /// <summary>Uniform in [from, to).</summary>
    public static void Uniform(Tensor t, double from, double to)
    {
        using var _ = Torch.NoGrad();
        t.Uniform_(from, to, Ambient.Value);
    }

    /// <summary>Normal(mean, std).</summary>
    public static void Normal(Tensor t, double mean, double std)
    {
        using var _ = Torch.NoGrad();
        t.Normal_(mean, std, Ambient.Value);
    }

    /// <summary>A constant.</summary>
    public static void Constant(Tensor t, double value)
    {
        using var _ = Torch.NoGrad();
        t.Fill_(value);
    }

    /// <summary>torch.nn.init.kaiming_normal_ with gain √2 (ReLU): std = √2 / √fan (fan_out as torchvision's CNNs use).</summary>
    public static void KaimingNormal(Tensor weight, bool fanOut = true, double negativeSlope = 0)
    {
        var (fi, fo) = Fans(weight);
        var gain = Math.Sqrt(2.0 / (1 + negativeSlope * negativeSlope));
        Normal(weight, 0, gain / Math.Sqrt(fanOut ? fo : fi));
    }

    /// <summary>
    /// PyTorch's default for Conv and Linear layers: kaiming_uniform_(a=√5) on the weight, i.e. U(±1/√fan_in), and
    /// U(±1/√fan_in) on the bias.
    /// </summary>
    public static void TorchDefault(Tensor weight, Tensor? bias)
    {
        var (fi, _) = Fans(weight);
        var bound = fi > 0 ? 1 / Math.Sqrt(fi) : 0;
        Uniform(weight, -bound, bound);
        if (bias is not null) Uniform(bias, -bound, bound);
    }

    /// <summary>Keras' glorot_uniform: U(±√(6 / (fan_in + fan_out))).</summary>
    public static void GlorotUniform(Tensor weight)
    {
        var (fi, fo) = Fans(weight);
        var limit = Math.Sqrt(6.0 / (fi + fo));
        Uniform(weight, -limit, limit);
    }

    /// <summary>
    /// torch.nn.init.trunc_normal_: Normal(mean, std) restricted to [a, b] (absolute bounds), by redrawing the values
    /// that fall outside until none do.
    /// </summary>
    public static void TruncatedNormal(Tensor t, double mean, double std, double a = -2, double b = 2)
    {
        if (!(a < b)) throw new ArgumentException($"truncation bounds must satisfy a < b, got [{a}, {b}]");
        using var _ = Torch.NoGrad();
        using var scope = Torch.NewDisposeScope();
        t.Normal_(mean, std, Ambient.Value);
        for (var round = 0; round < 1000; round++)
        {
            using var aboveLow = t.Ge(a);
            using var belowHigh = t.Le(b);
            using var inside = aboveLow.Mul(belowHigh);
            using var count = inside.Sum();
            if (count.ItemLong() == t.NumberOfElements) return;
            using var fresh = t.ZerosLike().Normal_(mean, std, Ambient.Value);
            using var merged = Tensor.Where(inside, t, fresh);
            t.Copy_(merged);
        }
        t.Clamp_(a, b); // only reached when [a, b] holds almost no probability mass
    }
}
