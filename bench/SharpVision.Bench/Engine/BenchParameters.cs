using SharpVision.Engine;

namespace SharpVision.Bench.Engine;

/// <summary>Parameter tensors of a benchmark net, initialised as torch.nn initialises Conv2d / Linear.</summary>
internal sealed class BenchParameters : IDisposable
{
    private readonly List<Tensor> trainable = new();
    private readonly List<Tensor> buffers = new();

    public BenchParameters(Generator generator) => Generator = generator;

    public Generator Generator { get; }

    public IReadOnlyList<Tensor> Trainable => trainable;

    public long Count => trainable.Sum(p => p.NumberOfElements);

    /// <summary>kaiming_uniform_(a=√5) on the weight, i.e. U(±1/√fan_in), and the same bound for the bias.</summary>
    public Tensor Uniform(long[] shape, long fanIn)
    {
        var bound = 1 / Math.Sqrt(fanIn);
        var t = Tensor.Empty(shape).DetachFromDisposeScope();
        t.Uniform_(-bound, bound, Generator);
        trainable.Add(t.RequiresGrad_());
        return t;
    }

    public Tensor Conv(long outC, long inC, long k) => Uniform(new[] { outC, inC, k, k }, inC * k * k);

    public Tensor Constant(long size, double value, bool trainableParameter)
    {
        var t = Tensor.Full(new[] { size }, value).DetachFromDisposeScope();
        if (trainableParameter) trainable.Add(t.RequiresGrad_());
        else buffers.Add(t);
        return t;
    }

    public void Dispose()
    {
        foreach (var t in trainable.Concat(buffers)) t.Dispose();
    }
}

/// <summary>A network of the benchmark: parameters and a training-mode forward pass.</summary>
internal interface IBenchNet : IDisposable
{
    string Name { get; }

    /// <summary>The tensors the optimizer updates.</summary>
    IReadOnlyList<Tensor> Trainable { get; }

    /// <summary>Number of trainable parameters (compared with PyTorch's count in the results).</summary>
    long ParameterCount => Trainable.Sum(t => t.NumberOfElements);

    Tensor Forward(Tensor x);
}
