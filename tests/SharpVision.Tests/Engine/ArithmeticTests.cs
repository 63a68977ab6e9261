using SharpVision.Engine;

namespace SharpVision.Tests.Engine;

/// <summary>Element-wise arithmetic, broadcasting, dtype promotion and in-place operations.</summary>
public class ArithmeticTests
{
    [Fact]
    public void BroadcastingCombinesColumnAndRowVectors()
    {
        using var scope = Torch.NewDisposeScope();
        var col = Tensor.FromArray(new float[] { 1, 2 }, 2, 1);
        var row = Tensor.FromArray(new float[] { 10, 20, 30 }, 1, 3);
        var sum = col + row;
        Assert.Equal(new long[] { 2, 3 }, sum.Shape);
        Assert.Equal(new float[] { 11, 21, 31, 12, 22, 32 }, sum.ToArray<float>());
        Assert.Equal(new float[] { 10, 20, 30, 20, 40, 60 }, (col * row).ToArray<float>());
        Assert.Equal(new float[] { -9, -19, -29, -8, -18, -28 }, (col - row).ToArray<float>());
        Assert.Equal(new float[] { 10, 5, 3 }, row.Div(Tensor.FromArray(new float[] { 1, 4, 10 })).ToArray<float>());
        var e = Assert.ThrowsAny<TorchException>(() => Tensor.Zeros(new long[] { 2, 3 }) + Tensor.Zeros(new long[] { 4 }));
        Assert.Contains("(3)", e.Message);
        Assert.Contains("(4)", e.Message);
    }

    [Fact]
    public void ScalarOperatorsWorkOnBothSides()
    {
        using var scope = Torch.NewDisposeScope();
        var x = Tensor.FromArray(new float[] { 1, 2, 4 });
        Assert.Equal(new float[] { 3, 4, 6 }, (x + 2).ToArray<float>());
        Assert.Equal(new float[] { 3, 4, 6 }, (2 + x).ToArray<float>());
        Assert.Equal(new float[] { 9, 8, 6 }, (10 - x).ToArray<float>());
        Assert.Equal(new float[] { 0.5f, 1.5f, 3.5f }, (x - 0.5).ToArray<float>());
        Assert.Equal(new float[] { 2.5f, 5, 10 }, (2.5 * x).ToArray<float>());
        Assert.Equal(new float[] { 4, 2, 1 }, (4.0 / x).ToArray<float>());
        Assert.Equal(new float[] { -1, -2, -4 }, (-x).ToArray<float>());
        Assert.Equal(new float[] { 1, 4, 16 }, x.Pow(2).ToArray<float>());
        Assert.Equal(new float[] { 1, 2, 2 }, x.Pow(Tensor.FromArray(new float[] { 0.5f, 1, 0.5f })).ToArray<float>());
        Assert.Equal(new float[] { 1, 2, 3 }, x.Minimum(Tensor.FromArray(new float[] { 5, 5, 3 })).ToArray<float>());
    }

    [Fact]
    public void DtypePromotionFollowsPyTorch()
    {
        using var scope = Torch.NewDisposeScope();
        var i64 = Tensor.FromArray(new long[] { 1, 2 });
        var i32 = Tensor.FromArray(new[] { 1, 2 });
        var u8 = Tensor.FromArray(new byte[] { 250, 3 });
        var f32 = Tensor.FromArray(new float[] { 0.5f, 0.5f });
        var f64 = Tensor.FromArray(new double[] { 0.25, 0.25 });
        var b = Tensor.FromArray(new[] { true, false });
        Assert.Equal(DType.Float32, (i64 + f32).DType);
        Assert.Equal(new float[] { 1.5f, 2.5f }, (i64 + f32).ToArray<float>());
        Assert.Equal(DType.Int64, (u8 + i64).DType);
        Assert.Equal(new long[] { 251, 5 }, (u8 + i64).ToArray<long>());
        Assert.Equal(DType.Int64, (i32 + i64).DType);
        Assert.Equal(DType.Float64, (f32 + f64).DType);
        Assert.Equal(DType.Int64, (b + i64).DType);
        Assert.Equal(DType.UInt8, (u8 + 10).DType);
        Assert.Equal(new byte[] { 4, 13 }, (u8 + 10).ToArray<byte>()); // uint8 wraps, as in PyTorch
        // Integer scalars keep integer tensors integer; fractional scalars and true division promote to float.
        Assert.Equal(DType.Int64, (i64 * 3).DType);
        Assert.Equal(new long[] { 3, 6 }, (i64 * 3).ToArray<long>());
        Assert.Equal(DType.Float32, (i64 * 0.5).DType);
        Assert.Equal(DType.Float32, (i64 / 2).DType);
        Assert.Equal(new float[] { 0.5f, 1 }, (i64 / 2).ToArray<float>());
        Assert.Equal(DType.Float32, (f32 * 2).DType);
        Assert.Equal(DType.Float64, f32.To(DType.Float64).DType);
        Assert.Equal(new long[] { 0, 0 }, f32.To(DType.Int64).ToArray<long>());
    }

    [Fact]
    public void UnaryFunctionsMatchMath()
    {
        using var scope = Torch.NewDisposeScope();
        var x = Tensor.FromArray(new double[] { 0.25, 1, 4 });
        AssertClose(new[] { Math.Exp(0.25), Math.E, Math.Exp(4) }, x.Exp().ToArray<double>());
        AssertClose(new[] { Math.Log(0.25), 0, Math.Log(4) }, x.Log().ToArray<double>());
        Assert.Equal(new[] { 0.5, 1, 2 }, x.Sqrt().ToArray<double>());
        Assert.Equal(new[] { 1.0, 3, 2 }, Tensor.FromArray(new double[] { -1, 3, -2 }).Abs().ToArray<double>());
        Assert.Equal(new[] { 0.5, 1, 3 }, x.Clamp(0.5, 3).ToArray<double>());
        Assert.Equal(new[] { 0.25, 1, 2 }, x.Clamp(max: 2).ToArray<double>());
        Assert.Equal(new[] { 1.0, 1, 4 }, x.Clamp(min: 1).ToArray<double>());
        var w = Tensor.Where(x.Gt(0.5), x, Tensor.Zeros(new long[] { 3 }, DType.Float64));
        Assert.Equal(new[] { 0.0, 1, 4 }, w.ToArray<double>());
        Assert.Equal(new[] { false, true, false }, x.Eq(1).ToArray<bool>());
        Assert.True(x.AllClose(x.Add(1e-9)));
        Assert.False(x.AllClose(x.Add(1e-3)));
    }

    [Fact]
    public void InPlaceOperationsModifyTheTensorAndReturnIt()
    {
        using var scope = Torch.NewDisposeScope();
        var a = Tensor.FromArray(new float[] { 1, 2, 3 });
        var b = Tensor.FromArray(new float[] { 2, 4, 8 });
        Assert.Same(a, a.Add_(b, 0.5));
        Assert.Equal(new float[] { 2, 4, 7 }, a.ToArray<float>());
        a.Mul_(b);
        Assert.Equal(new float[] { 4, 16, 56 }, a.ToArray<float>());
        a.Addcmul_(b, b, 0.5); // + 0.5·b²
        Assert.Equal(new float[] { 6, 24, 88 }, a.ToArray<float>());
        a.Addcdiv_(b, b, -2);
        Assert.Equal(new float[] { 4, 22, 86 }, a.ToArray<float>());
        a.Clamp_(5, 50);
        Assert.Equal(new float[] { 5, 22, 50 }, a.ToArray<float>());
        a.Copy_(b);
        Assert.Equal(new float[] { 2, 4, 8 }, a.ToArray<float>());
        a.Sub_(b, 0.5).Mul_(2).Add_(1).Div_(2);
        Assert.Equal(new float[] { 1.5f, 2.5f, 4.5f }, a.ToArray<float>());
        a.Zero_();
        Assert.Equal(new float[] { 0, 0, 0 }, a.ToArray<float>());
        a.Fill_(-1).Relu_();
        Assert.Equal(new float[] { 0, 0, 0 }, a.ToArray<float>());
        var i = Tensor.FromArray(new long[] { 1, 2 });
        i.Mul_(3).Add_(1);
        Assert.Equal(DType.Int64, i.DType);
        Assert.Equal(new long[] { 4, 7 }, i.ToArray<long>());
    }

    [Fact]
    public void MatMulAndLinearMatchHandComputedProducts()
    {
        using var scope = Torch.NewDisposeScope();
        var a = Tensor.FromArray(new float[] { 1, 2, 3, 4 }, 2, 2);
        var b = Tensor.FromArray(new float[] { 5, 6, 7, 8 }, 2, 2);
        Assert.Equal(new float[] { 19, 22, 43, 50 }, a.MatMul(b).ToArray<float>());
        // Linear: x·Wᵀ + b
        var bias = Tensor.FromArray(new float[] { 1, -1 });
        Assert.Equal(new float[] { 18, 22, 40, 52 }, Functional.Linear(a, b, bias).ToArray<float>());
        var batch = Tensor.Stack(new[] { a, b });
        Assert.Equal(new long[] { 2, 2, 2 }, batch.MatMul(a).Shape);
    }

    private static void AssertClose(double[] expected, double[] actual, double tolerance = 1e-12)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], tolerance);
    }
}
