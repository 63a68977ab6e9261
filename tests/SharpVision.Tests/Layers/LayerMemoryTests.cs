using SharpVision.Engine;
using SharpVision.Layers;
using SharpVision.Models;

namespace SharpVision.Tests.Layers;

/// <summary>Tests that count live native tensors: they must not run beside other tests.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LiveTensorCollection
{
    /// <summary>The collection name.</summary>
    public const string Name = "layers-live-tensors";
}

[Collection(LiveTensorCollection.Name)]
public class LayerMemoryTests
{
    private static long Settled()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        return Torch.LiveTensors;
    }

    [Theory]
    [InlineData("resnet18", 32)]
    [InlineData("mobilenet_v2", 32)]
    [InlineData("mini-inception", 32)]
    [InlineData("cafe-cnn-dropout", 80)]
    public void ForwardAndBackwardInAScopeReturnToBaseline(string name, int size)
    {
        Torch.ManualSeed(1);
        using var model = ModelZoo.Create(name, new ModelOptions { NumClasses = 5, InputHeight = size, InputWidth = size });
        var baseline = Settled();
        for (var step = 0; step < 2; step++)
        {
            using var scope = Torch.NewDisposeScope();
            var x = Tensor.Randn(new long[] { 2, 3, size, size });
            var y = Tensor.FromArray(new long[] { 1, 3 });
            var loss = Functional.CrossEntropy(model.Call(x), y);
            loss.Backward();
        }
        model.ZeroGrad();
        Assert.Equal(baseline, Settled());
    }

    [Fact]
    public void ForwardOutsideAnyScopeLeavesOnlyTheOutput()
    {
        Torch.ManualSeed(2);
        using var model = ModelZoo.Create("inception_v3", new ModelOptions { NumClasses = 3 });
        model.Eval();
        using var x = Tensor.Randn(new long[] { 1, 3, 75, 75 });
        var baseline = Settled();
        using (Torch.NoGrad())
        {
            var y = model.Forward(x);
            Assert.Equal(baseline + 1, Settled());
            y.Dispose();
        }
        Assert.Equal(baseline, Settled());
    }

    [Fact]
    public void GraphModelForwardManyFreesEveryIntermediate()
    {
        using var model = GraphModelTests.BuildTwoOutputModel();
        using var x = Tensor.Randn(new long[] { 1, 3, 8, 8 });
        model.Eval();
        var baseline = Settled();
        var outputs = model.ForwardMany(x);
        Assert.Equal(baseline + 2, Settled());
        foreach (var o in outputs) o.Dispose();
        Assert.Equal(baseline, Settled());
    }
}
