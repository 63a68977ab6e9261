using SharpVision.Engine;

namespace SharpVision.Tests.Engine;

/// <summary>Creating tensors and reading them back: dtypes, factories, image buffers.</summary>
public class TensorCreationTests
{
    [Fact]
    public void EverySupportedDtypeRoundTripsThroughArrays()
    {
        using var scope = Torch.NewDisposeScope();
        Assert.Equal(new[] { 1.5f, -2f }, Tensor.FromArray(new[] { 1.5f, -2f }).ToArray<float>());
        Assert.Equal(new[] { 1e-300, 3.0 }, Tensor.FromArray(new[] { 1e-300, 3.0 }).ToArray<double>());
        Assert.Equal(new[] { long.MaxValue, -1L }, Tensor.FromArray(new[] { long.MaxValue, -1L }).ToArray<long>());
        Assert.Equal(new[] { int.MinValue, 7 }, Tensor.FromArray(new[] { int.MinValue, 7 }).ToArray<int>());
        Assert.Equal(new byte[] { 0, 255 }, Tensor.FromArray(new byte[] { 0, 255 }).ToArray<byte>());
        Assert.Equal(new[] { true, false }, Tensor.FromArray(new[] { true, false }).ToArray<bool>());
        Assert.Equal(DType.Int32, Tensor.FromArray(new[] { 1, 2 }).DType);
        Assert.Equal(DType.Bool, Tensor.FromArray(new[] { true }).DType);
    }

    [Fact]
    public void FromSpanUsesTheGivenShape()
    {
        using var t = Tensor.FromArray<float>(new float[] { 1, 2, 3, 4, 5, 6 }.AsSpan(1, 4), new long[] { 2, 2 });
        Assert.Equal(new long[] { 2, 2 }, t.Shape);
        Assert.Equal(new float[] { 2, 3, 4, 5 }, t.ToArray<float>());
        Assert.Equal(4, t.NumberOfElements);
        Assert.Equal(2, t.Dim);
    }

    [Fact]
    public void FromArrayRejectsAShapeThatDoesNotMatchTheData()
    {
        var e = Assert.Throws<ArgumentException>(() => Tensor.FromArray(new float[] { 1, 2, 3 }, 2, 2));
        Assert.Contains("[2, 2]", e.Message);
        Assert.Contains("3", e.Message);
    }

    [Fact]
    public void ImageBytesInNhwcBecomeNchw()
    {
        // Two 1×2 RGB images: pixel values encode (image, x, channel) as 100·n + 10·x + c.
        var pixels = new byte[] { 0, 1, 2, 10, 11, 12, 100, 101, 102, 110, 111, 112 };
        using var t = Tensor.FromImageBytes(pixels, count: 2, height: 1, width: 2, channels: 3);
        Assert.Equal(new long[] { 2, 3, 1, 2 }, t.Shape);
        Assert.Equal(DType.UInt8, t.DType);
        Assert.Equal(new byte[] { 0, 10, 1, 11, 2, 12, 100, 110, 101, 111, 102, 112 }, t.ToArray<byte>());
    }

    [Fact]
    public void FactoriesFillTheExpectedValues()
    {
        using var scope = Torch.NewDisposeScope();
        Assert.Equal(new float[] { 0, 0, 0, 0 }, Tensor.Zeros(new long[] { 2, 2 }).ToArray<float>());
        Assert.Equal(new long[] { 1, 1, 1 }, Tensor.Ones(new long[] { 3 }, DType.Int64).ToArray<long>());
        Assert.Equal(new double[] { 2.5, 2.5 }, Tensor.Full(new long[] { 2 }, 2.5, DType.Float64).ToArray<double>());
        Assert.Equal(new long[] { 0, 1, 2, 3 }, Tensor.Arange(4).ToArray<long>());
        Assert.Equal(new float[] { 1, 1.5f, 2, 2.5f }, Tensor.Arange(1, 3, 0.5, DType.Float32).ToArray<float>());
        Assert.Equal(new float[] { 0, 0.25f, 0.5f, 0.75f, 1 }, Tensor.Linspace(0, 1, 5).ToArray<float>());
        Assert.Equal(new float[] { 1, 0, 0, 1 }, Tensor.Eye(2).ToArray<float>());
        Assert.Equal(3.0, Tensor.Scalar(3).Item());
        Assert.Empty(Tensor.Scalar(3).Shape);
    }

    [Fact]
    public void RandomFactoriesRespectRangesAndShapes()
    {
        using var scope = Torch.NewDisposeScope();
        using var g = new Generator(42);
        var u = Tensor.Rand(new long[] { 1000 }, g).ToArray<float>();
        Assert.All(u, v => Assert.InRange(v, 0f, 1f));
        Assert.InRange(u.Average(), 0.45, 0.55);
        var n = Tensor.Randn(new long[] { 4000 }, g, DType.Float64).ToArray<double>();
        Assert.InRange(n.Average(), -0.1, 0.1);
        Assert.InRange(Math.Sqrt(n.Select(v => v * v).Average()), 0.9, 1.1);
        var ints = Tensor.Randint(3, 7, new long[] { 500 }, g).ToArray<long>();
        Assert.All(ints, v => Assert.InRange(v, 3L, 6L));
        Assert.Equal(new long[] { 3, 4, 5, 6 }, ints.Distinct().Order().ToArray());
        var perm = Tensor.Randperm(10, g).ToArray<long>();
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), perm.Order());
    }

    [Fact]
    public void PropertiesDescribeTheTensor()
    {
        using var t = Tensor.Zeros(new long[] { 2, 3 }, DType.Float64, Device.Cpu, requiresGrad: true);
        Assert.Equal(DType.Float64, t.DType);
        Assert.Equal(Device.Cpu, t.Device);
        Assert.True(t.RequiresGrad);
        Assert.True(t.IsLeaf);
        Assert.Equal(3, t.Size(-1));
        Assert.Equal("Tensor[2, 3] Float64 cpu requires_grad", t.ToString());
        using var c = t.To(Device.Cpu);
        Assert.Equal(Device.Cpu, c.Device);
    }

    [Fact]
    public void ToBytesAndFromBytesRoundTrip()
    {
        using var scope = Torch.NewDisposeScope();
        var t = Tensor.FromArray(new[] { 1.0f, -0.5f }, 2);
        var bytes = t.ToBytes();
        Assert.Equal(BitConverter.GetBytes(1.0f).Concat(BitConverter.GetBytes(-0.5f)), bytes);
        Assert.True(Tensor.FromBytes(bytes, DType.Float32, new long[] { 2 }).Equal(t));
    }

    [Fact]
    public void DevicesParseAndPrint()
    {
        Assert.Equal(Device.Cpu, Device.Parse("cpu"));
        Assert.Equal(Device.Cuda(0), Device.Parse("cuda"));
        Assert.Equal(Device.Cuda(1), Device.Parse(" CUDA:1 "));
        Assert.Equal("cuda:1", Device.Cuda(1).ToString());
        Assert.True(Device.Cuda().IsCuda);
        Assert.False(Device.Cpu.IsCuda);
        var e = Assert.Throws<FormatException>(() => Device.Parse("tpu"));
        Assert.Contains("tpu", e.Message);
    }
}
