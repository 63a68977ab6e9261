using SharpVision.Engine;

namespace SharpVision.Tests.Engine;

public class TensorBasicsTests
{
    [Fact]
    public void FromArrayRoundTripsValuesShapeAndDtype()
    {
        using var t = Tensor.FromArray(new float[] { 1, 2, 3, 4, 5, 6 }, 2, 3);
        Assert.Equal(new long[] { 2, 3 }, t.Shape);
        Assert.Equal(DType.Float32, t.DType);
        Assert.Equal(Device.Cpu, t.Device);
        Assert.Equal(new float[] { 1, 2, 3, 4, 5, 6 }, t.ToArray<float>());
    }

    [Fact]
    public void BroadcastingAddMatchesHandComputedValues()
    {
        using var scope = Torch.NewDisposeScope();
        var a = Tensor.FromArray(new float[] { 1, 2, 3, 4, 5, 6 }, 2, 3);
        var b = Tensor.FromArray(new float[] { 10, 20, 30 }, 3);
        var c = a + b;
        Assert.Equal(new float[] { 11, 22, 33, 14, 25, 36 }, c.ToArray<float>());
        var d = (a * 2 - 1) / 2;
        Assert.Equal(new float[] { 0.5f, 1.5f, 2.5f, 3.5f, 4.5f, 5.5f }, d.ToArray<float>());
    }

    [Fact]
    public void ShapeMismatchRaisesTorchExceptionNamingShapes()
    {
        using var scope = Torch.NewDisposeScope();
        var a = Tensor.Zeros(new long[] { 2, 3 });
        var b = Tensor.Zeros(new long[] { 4, 5 });
        var e = Assert.ThrowsAny<TorchException>(() => a.MatMul(b));
        Assert.Contains("2x3", e.Message);
        Assert.Contains("4x5", e.Message);
    }
}
