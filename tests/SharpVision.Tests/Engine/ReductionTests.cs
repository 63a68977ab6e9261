using SharpVision.Engine;

namespace SharpVision.Tests.Engine;

/// <summary>Reductions over all elements and over dimensions.</summary>
public class ReductionTests
{
    // [[1, 5, 3], [4, 2, 6]]
    private static Tensor M() => Tensor.FromArray(new float[] { 1, 5, 3, 4, 2, 6 }, 2, 3);

    [Fact]
    public void SumAndMeanOverAllAndOverDimensions()
    {
        using var scope = Torch.NewDisposeScope();
        var m = M();
        Assert.Equal(21.0, m.Sum().Item());
        Assert.Equal(new float[] { 5, 7, 9 }, m.Sum(0).ToArray<float>());
        var kept = m.Sum(1, keepDim: true);
        Assert.Equal(new long[] { 2, 1 }, kept.Shape);
        Assert.Equal(new float[] { 9, 12 }, kept.ToArray<float>());
        Assert.Equal(3.5, m.Mean().Item());
        Assert.Equal(new float[] { 3, 4 }, m.Mean(1).ToArray<float>());
        Assert.Equal(3.5, m.Mean(new long[] { 0, 1 }).Item());
    }

    [Fact]
    public void MaxMinArgmaxAndTopK()
    {
        using var scope = Torch.NewDisposeScope();
        var m = M();
        Assert.Equal(6.0, m.Max().Item());
        Assert.Equal(1.0, m.Min().Item());
        var (maxValues, maxIndices) = m.Max(1);
        Assert.Equal(new float[] { 5, 6 }, maxValues.ToArray<float>());
        Assert.Equal(new long[] { 1, 2 }, maxIndices.ToArray<long>());
        var (minValues, minIndices) = m.Min(0);
        Assert.Equal(new float[] { 1, 2, 3 }, minValues.ToArray<float>());
        Assert.Equal(new long[] { 0, 1, 0 }, minIndices.ToArray<long>());
        Assert.Equal(new long[] { 1, 2 }, m.Argmax(1).ToArray<long>());
        Assert.Equal(new long[] { 2, 1 }, m.Argmax(1, keepDim: true).Shape);
        var (top, topIndices) = m.TopK(2);
        Assert.Equal(new float[] { 5, 3, 6, 4 }, top.ToArray<float>());
        Assert.Equal(new long[] { 1, 2, 2, 0 }, topIndices.ToArray<long>());
        var (low, _) = m.TopK(1, dim: 0, largest: false);
        Assert.Equal(new float[] { 1, 2, 3 }, low.ToArray<float>());
    }

    [Fact]
    public void StdAndVarWithAndWithoutBesselCorrection()
    {
        using var scope = Torch.NewDisposeScope();
        var m = M();
        Assert.Equal(new float[] { 2, 2 }, m.Std(new long[] { 1 }).ToArray<float>());
        Assert.Equal(new float[] { 4, 4 }, m.Var(new long[] { 1 }).ToArray<float>());
        Assert.Equal(8.0 / 3, m.Var(new long[] { 1 }, unbiased: false).ToArray<float>()[0], 5);
        Assert.Equal(3.5, m.Var().Item(), 5); // 1..6: Σ(x−3.5)² = 17.5, / 5
        Assert.Equal(Math.Sqrt(3.5), m.Std().Item(), 5);
        Assert.Equal(new long[] { 2, 1 }, m.Std(new long[] { 1 }, keepDim: true).Shape);
    }
}
