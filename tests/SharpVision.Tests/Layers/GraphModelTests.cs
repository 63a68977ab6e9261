using SharpVision.Engine;
using SharpVision.Layers;

namespace SharpVision.Tests.Layers;

public class GraphModelTests
{
    internal static GraphModel BuildTwoOutputModel()
    {
        Torch.ManualSeed(3);
        var input = GraphModel.Input();
        var conv1 = input.Then(new Conv2d(3, 4, 3, padding: "same", activation: Activation.Relu) { Name = "conv1" });
        var left = conv1.Then(new Conv2d(4, 4, 3, padding: "same"));
        var right = conv1.Then(new Conv2d(4, 4, 1));
        var merged = GraphModel.Apply(new Concatenate(), left, right);
        var sum = GraphModel.Apply(new Add(), conv1, right);
        var pooled = GraphModel.Apply(new Concatenate(), merged, sum).Then(new GlobalAvgPool());
        var prediction = pooled.Then(new Linear(12, 5) { Name = "head" });
        return new GraphModel(input, prediction, conv1);
    }

    [Fact]
    public void ForwardManyReturnsPredictionAndInnerActivation()
    {
        using var model = BuildTwoOutputModel();
        using var scope = Torch.NewDisposeScope();
        var x = Tensor.Randn(new long[] { 2, 3, 8, 8 });
        var outputs = model.ForwardMany(x);
        Assert.Equal(2, outputs.Length);
        Assert.Equal(new long[] { 2, 5 }, outputs[0].Shape);
        Assert.Equal(new long[] { 2, 4, 8, 8 }, outputs[1].Shape);
        Assert.Equal(new[] { "head", "conv1" }, model.OutputNames);
        Assert.Contains(model.NamedParameters(), p => p.Name == "conv1.weight");
        Assert.Contains(model.NamedParameters(), p => p.Name == "conv2d_1.weight");
        Assert.False(x.IsDisposed);
        using var single = model.Forward(x);
        Assert.True(single.AllClose(outputs[0]));
    }

    [Fact]
    public void GradientsFlowThroughBothBranches()
    {
        using var model = BuildTwoOutputModel();
        using var scope = Torch.NewDisposeScope();
        var outputs = model.ForwardMany(Tensor.Randn(new long[] { 2, 3, 8, 8 }));
        outputs[0].Sum().Backward();
        Assert.All(model.Parameters(), p =>
        {
            using var g = p.Grad;
            Assert.NotNull(g);
        });
    }

    [Fact]
    public void InvalidGraphsAreRejected()
    {
        var input = GraphModel.Input();
        var a = input.Then(new ReLU());
        Assert.Throws<ArgumentException>(() => GraphModel.Apply(new ReLU(), a, a));
        Assert.Throws<ArgumentException>(() => new GraphModel(input));
        Assert.Throws<ArgumentException>(() => new GraphModel(a, a));
        var other = GraphModel.Input("other");
        Assert.Throws<ArgumentException>(() => new GraphModel(input, GraphModel.Apply(new Add(), a, other.Then(new ReLU()))));
    }
}
