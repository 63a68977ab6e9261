using SharpVision.Engine;

namespace SharpVision.Tests.Engine;

/// <summary>Bad shapes, dtypes, devices and disposed tensors raise typed exceptions with libtorch's message.</summary>
public class ErrorTests
{
    [Fact]
    public void Conv2dChannelMismatchNamesBothShapes()
    {
        using var scope = Torch.NewDisposeScope();
        var x = Tensor.Zeros(new long[] { 1, 3, 8, 8 });
        var w = Tensor.Zeros(new long[] { 4, 2, 3, 3 });
        var e = Assert.ThrowsAny<TorchException>(() => Functional.Conv2d(x, w));
        Assert.Contains("[4, 2, 3, 3]", e.Message);
        Assert.Contains("[1, 3, 8, 8]", e.Message);
    }

    [Fact]
    public void LinearAndCatShapeMismatchesNameTheSizes()
    {
        using var scope = Torch.NewDisposeScope();
        var e = Assert.ThrowsAny<TorchException>(() => Functional.Linear(Tensor.Zeros(new long[] { 2, 5 }), Tensor.Zeros(new long[] { 3, 4 })));
        Assert.Contains("2x5", e.Message);
        Assert.Contains("4x3", e.Message);
        var c = Assert.ThrowsAny<TorchException>(() => Tensor.Cat(new[] { Tensor.Zeros(new long[] { 2, 3 }), Tensor.Zeros(new long[] { 2, 4 }) }));
        Assert.Contains("3", c.Message);
        Assert.Contains("4", c.Message);
        var r = Assert.ThrowsAny<TorchException>(() => Tensor.Zeros(new long[] { 2, 3 }).Reshape(4, 2));
        Assert.Contains("[4, 2]", r.Message);
    }

    [Fact]
    public void WrongDtypesAreRejected()
    {
        using var scope = Torch.NewDisposeScope();
        var logits = Tensor.Zeros(new long[] { 4, 3 });
        // Float targets that are not class probabilities of the logits' shape.
        var ce = Assert.ThrowsAny<TorchException>(() => Functional.CrossEntropy(logits, Tensor.Zeros(new long[] { 4 })));
        Assert.Contains("Long", ce.Message);
        var idx = Assert.ThrowsAny<TorchException>(() => logits.IndexSelect(0, Tensor.FromArray(new float[] { 0, 1 })));
        Assert.Contains("int", idx.Message, StringComparison.OrdinalIgnoreCase);
        Assert.ThrowsAny<TorchException>(() => logits.Gather(1, Tensor.Zeros(new long[] { 4, 1 })));
        Assert.ThrowsAny<TorchException>(() => Functional.Conv2d(Tensor.Zeros(new long[] { 1, 1, 3, 3 }, DType.Int64), Tensor.Zeros(new long[] { 1, 1, 1, 1 })));
        var copy = Assert.Throws<TorchTypeException>(() => logits.ToArray<double>());
        Assert.Contains("Float32", copy.Message);
    }

    [Fact]
    public void OutOfRangeIndicesAndBadArgumentsThrowInsteadOfCrashing()
    {
        using var scope = Torch.NewDisposeScope();
        var m = Tensor.Zeros(new long[] { 2, 3 });
        Assert.ThrowsAny<TorchException>(() => m.Select(0, 5));
        Assert.ThrowsAny<TorchException>(() => m.IndexSelect(1, Tensor.FromArray(new long[] { 7 })));
        Assert.ThrowsAny<TorchException>(() => m.Transpose(0, 4));
        Assert.ThrowsAny<TorchException>(() => m.Item());
        Assert.ThrowsAny<TorchException>(() => Functional.MaxPool2d(Tensor.Zeros(new long[] { 1, 1, 2, 2 }), (5, 5)));
        Assert.ThrowsAny<TorchException>(() => Functional.CrossEntropy(Tensor.Zeros(new long[] { 2, 3 }), Tensor.FromArray(new long[] { 0, 9 })));
        Assert.ThrowsAny<TorchException>(() => Functional.GridSample(Tensor.Zeros(new long[] { 1, 1, 4, 4 }), Tensor.Zeros(new long[] { 1, 2, 2, 3 })));
        Assert.ThrowsAny<TorchException>(() => Tensor.Empty(new long[] { -1 }));
        // The thread's error state is cleared: the next call works.
        Assert.Equal(0.0, m.Sum().Item());
    }

    [Fact]
    public void UsingADisposedTensorThrowsObjectDisposedException()
    {
        var t = Tensor.Ones(new long[] { 2 });
        t.Dispose();
        var e = Assert.Throws<ObjectDisposedException>(() => t.Sum());
        Assert.Contains("disposed", e.Message);
        Assert.Throws<ObjectDisposedException>(() => t.Shape);
        using var other = Tensor.Ones(new long[] { 2 });
        Assert.Throws<ObjectDisposedException>(() => other + t);
        Assert.Equal("Tensor(disposed)", t.ToString());
    }

    [Fact]
    public void CudaRequestOnCpuLibtorchThrowsTorchException()
    {
        if (Cuda.IsAvailable) return; // this check is about CPU-only libtorch builds
        Assert.Equal(0, Cuda.DeviceCount);
        Assert.ThrowsAny<TorchException>(() => Tensor.Zeros(new long[] { 2 }, device: Device.Cuda()));
        Assert.ThrowsAny<TorchException>(() => Tensor.Rand(new long[] { 2 }, device: Device.Cuda()));
        using var t = Tensor.Ones(new long[] { 2 });
        var e = Assert.ThrowsAny<TorchException>(() => t.To(Device.Cuda(1)));
        Assert.False(string.IsNullOrWhiteSpace(e.Message));
        Cuda.Synchronize(); // a no-op without CUDA
        Assert.Equal(2.0, t.Sum().Item());
    }

    [Fact]
    public void NativeErrorsAreThreadLocal()
    {
        var errors = new TorchException?[4];
        var threads = Enumerable.Range(0, 4).Select(i => new Thread(() =>
        {
            using var scope = Torch.NewDisposeScope();
            try { Tensor.Zeros(new long[] { 2, i + 3 }).MatMul(Tensor.Zeros(new long[] { 7, 2 })); }
            catch (TorchException e) { errors[i] = e; }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        for (var i = 0; i < 4; i++) Assert.Contains($"2x{i + 3}", errors[i]!.Message);
    }
}
