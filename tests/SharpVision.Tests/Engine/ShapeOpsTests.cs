using SharpVision.Engine;

namespace SharpVision.Tests.Engine;

/// <summary>Views, reshaping, joining and indexing on small hand-checked tensors.</summary>
public class ShapeOpsTests
{
    // [[0, 1, 2], [3, 4, 5]]
    private static Tensor M() => Tensor.Arange(6).Reshape(2, 3);

    [Fact]
    public void ReshapeViewPermuteTransposeAndContiguous()
    {
        using var scope = Torch.NewDisposeScope();
        var m = M();
        Assert.Equal(new long[] { 3, 2 }, m.Reshape(3, -1).Shape);
        Assert.Equal(new long[] { 0, 1, 2, 3, 4, 5 }, m.View(6).ToArray<long>());
        var t = m.Transpose(0, 1);
        Assert.False(t.IsContiguous);
        Assert.Equal(new long[] { 0, 3, 1, 4, 2, 5 }, t.ToArray<long>());
        Assert.True(t.Contiguous().IsContiguous);
        Assert.Equal(new long[] { 0, 3, 1, 4, 2, 5 }, m.Permute(1, 0).ToArray<long>());
        Assert.Equal(new long[] { 3, 2 }, m.T().Shape);
        Assert.ThrowsAny<TorchException>(() => t.View(6));
    }

    [Fact]
    public void CatStackNarrowSliceAndSelect()
    {
        using var scope = Torch.NewDisposeScope();
        var m = M();
        Assert.Equal(new long[] { 0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5 }, Tensor.Cat(new[] { m, m }).ToArray<long>());
        Assert.Equal(new long[] { 2, 6 }, Tensor.Cat(new[] { m, m }, 1).Shape);
        Assert.Equal(new long[] { 2, 2, 3 }, Tensor.Stack(new[] { m, m }).Shape);
        Assert.Equal(new long[] { 2, 3, 2 }, Tensor.Stack(new[] { m, m }, 2).Shape);
        Assert.Equal(new long[] { 1, 2, 4, 5 }, m.Narrow(1, 1, 2).ToArray<long>());
        Assert.Equal(new long[] { 0, 2, 3, 5 }, m.Slice(1, 0, 3, 2).ToArray<long>());
        Assert.Equal(new long[] { 3, 4, 5 }, m.Select(0, 1).ToArray<long>());
    }

    [Fact]
    public void IndexSelectAndGatherPickTheIndexedValues()
    {
        using var scope = Torch.NewDisposeScope();
        var m = M();
        Assert.Equal(new long[] { 2, 0, 5, 3 }, m.IndexSelect(1, Tensor.FromArray(new long[] { 2, 0 })).ToArray<long>());
        var idx = Tensor.FromArray(new long[] { 2, 0, 1, 1 }, 2, 2);
        Assert.Equal(new long[] { 2, 0, 4, 4 }, m.Gather(1, idx).ToArray<long>());
        Assert.Equal(new long[] { 1, 3, 5 }, m.MaskedSelect(m.Remainder2()).ToArray<long>());
    }

    [Fact]
    public void IndexCopyReplacesTheIndexedRowsOfACopy()
    {
        using var scope = Torch.NewDisposeScope();
        var m = Tensor.FromArray(new long[] { 0, 1, 2, 3, 4, 5 }, 3, 2);
        var r = m.IndexCopy(0, Tensor.FromArray(new long[] { 2, 0 }), Tensor.FromArray(new long[] { 7, 8, 9, 10 }, 2, 2));
        Assert.Equal(new long[] { 9, 10, 2, 3, 7, 8 }, r.ToArray<long>());
        Assert.Equal(new long[] { 0, 1, 2, 3, 4, 5 }, m.ToArray<long>()); // out of place
        var e = Assert.ThrowsAny<TorchException>(() => m.IndexCopy(0, Tensor.FromArray(new long[] { 0 }), Tensor.FromArray(new long[] { 1, 2, 3 }, 1, 3)));
        Assert.Contains("index_copy", e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void ExpandSqueezeUnsqueezeFlattenFlipPad()
    {
        using var scope = Torch.NewDisposeScope();
        var v = Tensor.FromArray(new float[] { 1, 2 }, 2, 1);
        Assert.Equal(new float[] { 1, 1, 1, 2, 2, 2 }, v.Expand(2, 3).ToArray<float>());
        Assert.Equal(new long[] { 2 }, v.Squeeze().Shape);
        Assert.Equal(new long[] { 2 }, v.Squeeze(1).Shape);
        Assert.Equal(new long[] { 1, 2, 1 }, v.Unsqueeze(0).Shape);
        var x = Tensor.Zeros(new long[] { 2, 3, 4, 5 });
        Assert.Equal(new long[] { 2, 60 }, x.Flatten(1).Shape);
        Assert.Equal(new long[] { 120 }, x.Flatten().Shape);
        var m = M();
        Assert.Equal(new long[] { 2, 1, 0, 5, 4, 3 }, m.Flip(1).ToArray<long>());
        Assert.Equal(new long[] { 5, 4, 3, 2, 1, 0 }, m.Flip(0, 1).ToArray<long>());
        var p = Functional.Pad(Tensor.FromArray(new float[] { 1, 2 }, 1, 1, 2), new long[] { 1, 2 }, PadMode.Constant, 9);
        Assert.Equal(new float[] { 9, 1, 2, 9, 9 }, p.ToArray<float>());
        var r = Functional.Pad(Tensor.FromArray(new float[] { 1, 2, 3 }, 1, 1, 3), new long[] { 2, 1 }, PadMode.Reflect);
        Assert.Equal(new float[] { 3, 2, 1, 2, 3, 2 }, r.ToArray<float>());
        var e = Functional.Pad(Tensor.FromArray(new float[] { 1, 2 }, 1, 1, 2), new long[] { 1, 1 }, PadMode.Replicate);
        Assert.Equal(new float[] { 1, 1, 2, 2 }, e.ToArray<float>());
    }
}

internal static class ShapeOpsTestExtensions
{
    /// <summary>Mask of odd elements.</summary>
    public static Tensor Remainder2(this Tensor t)
    {
        using var half = t.Div(2).Floor();
        using var twice = half.Mul(2);
        return t.Ne(twice);
    }
}
