using SharpVision.Engine;

namespace SharpVision.Tests.Engine;

/// <summary>requires_grad, backward, gradient accumulation, no-grad scopes and detach.</summary>
public class AutogradTests
{
    [Fact]
    public void BackwardComputesAndAccumulatesGradientsUntilZeroed()
    {
        using var scope = Torch.NewDisposeScope();
        var x = Tensor.FromArray(new float[] { 1, 2, 3 }).RequiresGrad_();
        Assert.Null(x.Grad);
        (x * x).Sum().Backward();
        Assert.Equal(new float[] { 2, 4, 6 }, x.Grad!.ToArray<float>());
        (x * x).Sum().Backward();
        Assert.Equal(new float[] { 4, 8, 12 }, x.Grad!.ToArray<float>());
        x.ZeroGrad();
        Assert.Null(x.Grad);
    }

    [Fact]
    public void BackwardOfANonScalarTakesTheIncomingGradient()
    {
        using var scope = Torch.NewDisposeScope();
        var x = Tensor.FromArray(new float[] { 1, 2, 3 }).RequiresGrad_();
        var y = x * 3;
        y.Backward(Tensor.FromArray(new float[] { 1, 0, 2 }));
        Assert.Equal(new float[] { 3, 0, 6 }, x.Grad!.ToArray<float>());
        var e = Assert.ThrowsAny<TorchException>(() => (x * 3).Backward());
        Assert.Contains("scalar", e.Message);
    }

    [Fact]
    public void RetainGradKeepsTheGradientOfAnIntermediate()
    {
        using var scope = Torch.NewDisposeScope();
        var x = Tensor.FromArray(new float[] { 1, 2, 3 }).RequiresGrad_();
        var h = (x * 2).RetainGrad();
        Assert.False(h.IsLeaf);
        (h * h).Sum().Backward();
        Assert.Equal(new float[] { 4, 8, 12 }, h.Grad!.ToArray<float>());
        Assert.Equal(new float[] { 8, 16, 24 }, x.Grad!.ToArray<float>());
    }

    [Fact]
    public void NoGradScopeStopsRecordingAndRestoresTheMode()
    {
        using var scope = Torch.NewDisposeScope();
        var x = Tensor.FromArray(new float[] { 1, 2 }).RequiresGrad_();
        Assert.True(Torch.IsGradEnabled);
        using (Torch.NoGrad())
        {
            Assert.False(Torch.IsGradEnabled);
            Assert.False((x * 2).RequiresGrad);
            using (Torch.EnableGrad()) Assert.True((x * 2).RequiresGrad);
            Assert.False(Torch.IsGradEnabled);
        }
        Assert.True(Torch.IsGradEnabled);
        Assert.True((x * 2).RequiresGrad);
    }

    [Fact]
    public void DetachSharesStorageButLeavesTheGraph()
    {
        using var scope = Torch.NewDisposeScope();
        var x = Tensor.FromArray(new float[] { 1, 2 }).RequiresGrad_();
        var d = x.Detach();
        Assert.False(d.RequiresGrad);
        d.Add_(10);
        Assert.Equal(new float[] { 11, 12 }, x.ToArray<float>());
        var e = Assert.ThrowsAny<TorchException>(() => (d * 2).Sum().Backward());
        Assert.Contains("does not require grad", e.Message);
        using (Torch.NoGrad()) x.Mul_(2); // optimizer-style update of a leaf
        Assert.Equal(new float[] { 22, 24 }, x.ToArray<float>());
        Assert.ThrowsAny<TorchException>(() => x.Mul_(2)); // in-place on a leaf that requires grad, outside NoGrad
    }

    [Fact]
    public void SetGradReplacesTheGradient()
    {
        using var scope = Torch.NewDisposeScope();
        var x = Tensor.Zeros(new long[] { 2 }, requiresGrad: true);
        x.SetGrad(Tensor.FromArray(new float[] { 5, 6 }));
        Assert.Equal(new float[] { 5, 6 }, x.Grad!.ToArray<float>());
    }
}
