using SharpVision.Engine;

namespace SharpVision.Bench.Engine;

/// <summary>
/// The café CNN at 128×128×3: Conv(32,7×7)→MaxPool2→Conv(64,5×5)→MaxPool2→Conv(128,3×3)→MaxPool2→Conv(256,3×3)→MaxPool2
/// →Flatten→Dense256→Dense256→Dense64→Dense5, ReLU, valid padding: 2,146,245 parameters.
/// </summary>
internal sealed class CafeCnn : IBenchNet
{
    private readonly (Tensor W, Tensor B)[] convs;
    private readonly (Tensor W, Tensor B)[] dense;

    public CafeCnn(Generator generator, int classes = 5)
    {
        Parameters = new BenchParameters(generator);
        var p = Parameters;
        convs = new[] { (3L, 32L, 7L), (32, 64, 5), (64, 128, 3), (128, 256, 3) }
            .Select(c => (p.Conv(c.Item2, c.Item1, c.Item3), p.Uniform(new[] { c.Item2 }, c.Item1 * c.Item3 * c.Item3))).ToArray();
        dense = new[] { (256L * 5 * 5, 256L), (256, 256), (256, 64), (64, classes) }
            .Select(d => (p.Uniform(new[] { d.Item2, d.Item1 }, d.Item1), p.Uniform(new[] { d.Item2 }, d.Item1))).ToArray();
    }

    public string Name => "cafe-cnn-128";

    public BenchParameters Parameters { get; }

    public IReadOnlyList<Tensor> Trainable => Parameters.Trainable;

    public Tensor Forward(Tensor x)
    {
        var h = x;
        foreach (var (w, b) in convs) h = Functional.MaxPool2d(Functional.Conv2d(h, w, b).Relu_(), (2, 2));
        h = h.Flatten(1);
        for (var i = 0; i < dense.Length; i++)
        {
            h = Functional.Linear(h, dense[i].W, dense[i].B);
            if (i < dense.Length - 1) h.Relu_();
        }
        return h;
    }

    public void Dispose() => Parameters.Dispose();
}
