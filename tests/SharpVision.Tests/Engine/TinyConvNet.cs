using SharpVision.Engine;

namespace SharpVision.Tests.Engine;

/// <summary>
/// A small convnet for 1×16×16 images written with Functional and plain parameter tensors (conv 8 → pool → conv 16 →
/// pool → dropout → linear), trained with a hand-written Adam. Used by the memory, learning and determinism tests.
/// </summary>
internal sealed class TinyConvNet : IDisposable
{
    private readonly Tensor[] parameters;
    private readonly Tensor[] exp;
    private readonly Tensor[] expSq;
    private int step;

    /// <summary>Initialises like torch (kaiming-uniform, bound 1/√fan_in) from <paramref name="generator"/> or the default generator.</summary>
    public TinyConvNet(int classes, Generator? generator = null, double dropout = 0)
    {
        Dropout = dropout;
        parameters = new[]
        {
            Uniform(new long[] { 8, 1, 3, 3 }, 9, generator), Uniform(new long[] { 8 }, 9, generator),
            Uniform(new long[] { 16, 8, 3, 3 }, 72, generator), Uniform(new long[] { 16 }, 72, generator),
            Uniform(new long[] { classes, 256 }, 256, generator), Uniform(new long[] { classes }, 256, generator),
        };
        exp = parameters.Select(p => p.ZerosLike().DetachFromDisposeScope()).ToArray();
        expSq = parameters.Select(p => p.ZerosLike().DetachFromDisposeScope()).ToArray();
    }

    public double Dropout { get; }

    public IReadOnlyList<Tensor> Parameters => parameters;

    public Tensor Forward(Tensor x, bool training)
    {
        using var scope = Torch.NewDisposeScope();
        var h = Functional.MaxPool2d(Functional.Relu(Functional.Conv2d(x, parameters[0], parameters[1], padding: (1, 1))), (2, 2));
        h = Functional.MaxPool2d(Functional.Relu(Functional.Conv2d(h, parameters[2], parameters[3], padding: (1, 1))), (2, 2));
        h = Functional.Dropout(h.Flatten(1), Dropout, training);
        return Functional.Linear(h, parameters[4], parameters[5]).MoveToOuterDisposeScope();
    }

    /// <summary>One step of forward, cross-entropy, backward and Adam (as torch.optim.Adam); returns the loss.</summary>
    public double TrainStep(Tensor x, Tensor y, double lr = 1e-2)
    {
        using var scope = Torch.NewDisposeScope();
        var loss = Functional.CrossEntropy(Forward(x, training: true), y);
        loss.Backward();
        step++;
        const double beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
        var bc1 = 1 - Math.Pow(beta1, step);
        var bc2Sqrt = Math.Sqrt(1 - Math.Pow(beta2, step));
        using (Torch.NoGrad())
        {
            for (var i = 0; i < parameters.Length; i++)
            {
                var g = parameters[i].Grad!;
                exp[i].Mul_(beta1).Add_(g, 1 - beta1);
                expSq[i].Mul_(beta2).Addcmul_(g, g, 1 - beta2);
                var denom = (expSq[i].Sqrt() / bc2Sqrt).Add_(eps);
                parameters[i].Addcdiv_(exp[i], denom, -lr / bc1);
                parameters[i].ZeroGrad();
            }
        }
        return loss.Item();
    }

    /// <summary>Fraction of <paramref name="x"/> classified as <paramref name="y"/>.</summary>
    public double Accuracy(Tensor x, Tensor y)
    {
        using var scope = Torch.NewDisposeScope();
        using var noGrad = Torch.NoGrad();
        return Forward(x, training: false).Argmax(1).Eq(y).To(DType.Float64).Mean().Item();
    }

    public void Dispose()
    {
        foreach (var t in parameters.Concat(exp).Concat(expSq)) t.Dispose();
    }

    private static Tensor Uniform(long[] shape, long fanIn, Generator? g)
    {
        var bound = 1 / Math.Sqrt(fanIn);
        var t = Tensor.Empty(shape).DetachFromDisposeScope();
        t.Uniform_(-bound, bound, g);
        return t.RequiresGrad_();
    }
}

/// <summary>Horizontal (class 0) or vertical (class 1) stripes of random width and phase, with Gaussian noise.</summary>
internal static class StripesData
{
    public static (Tensor Images, Tensor Labels) Make(int count, int seed, int size = 16, double noise = 0.35)
    {
        var rng = new Random(seed);
        var pixels = new float[count * size * size];
        var labels = new long[count];
        for (var n = 0; n < count; n++)
        {
            labels[n] = rng.Next(2);
            var period = 2 + rng.Next(3);
            var phase = rng.Next(2 * period);
            for (var y = 0; y < size; y++)
            for (var x = 0; x < size; x++)
            {
                var coordinate = labels[n] == 0 ? y : x;
                var on = (coordinate + phase) / period % 2 == 0 ? 1.0 : 0.0;
                var gaussian = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
                pixels[(n * size + y) * size + x] = (float)(on - 0.5 + noise * gaussian);
            }
        }
        return (Tensor.FromArray(pixels, count, 1, size, size), Tensor.FromArray(labels));
    }
}
