using SharpVision.Engine;
using SharpVision.Layers;
using SharpVision.Models;
using SharpVision.Training.Optimizers;
using SharpVision.Transfer;

namespace SharpVision.Tests.Transfer;

public class FreezeSpecTests
{
    [Fact]
    public void RangesPrefixesAndFromSelectTheNamedModules()
    {
        using var model = TransferFixtures.MobileNet(3);
        Assert.Equal(Enumerable.Range(0, 13).Select(i => $"features.{i}"), FreezeSpec.Parse("features.0-12").Select(model).Select(s => s.Path));
        Assert.Equal(new[] { "features.16", "features.17", "features.18" }, FreezeSpec.Parse("features.16+").Select(model).Select(s => s.Path));
        Assert.Equal(new[] { "features.2.conv", "classifier" }, FreezeSpec.Parse(" features.2.conv , classifier ").Select(model).Select(s => s.Path));
        Assert.Equal(new[] { "features", "classifier.0" }, FreezeSpec.Parse("backbone").Select(model).Select(s => s.Path));
        Assert.Equal(new[] { "" }, FreezeSpec.Parse("all").Select(model).Select(s => s.Path));
        Assert.True(FreezeSpec.Parse("").IsEmpty);
    }

    [Fact]
    public void FreezeUntilTakesEverythingBeforeTheNamedModuleAtEachLevel()
    {
        using var resnet = ModelZoo.Create("resnet18", new ModelOptions { NumClasses = 2 });
        var spec = FreezeSpec.Until(resnet, "layer3");
        Assert.Equal(new[] { "conv1", "bn1", "relu", "maxpool", "layer1", "layer2" }, spec.Select(resnet).Select(s => s.Path));
        using var mobile = TransferFixtures.MobileNet(2);
        Assert.Equal(Enumerable.Range(0, 14).Select(i => $"features.{i}"), FreezeSpec.Until(mobile, "features.14").Select(mobile).Select(s => s.Path));
        var e = Assert.Throws<ArgumentException>(() => FreezeSpec.Until(resnet, "layer9"));
        Assert.Contains("layer4", e.Message);
    }

    [Theory]
    [InlineData("features..2")]
    [InlineData("features.5-2")]
    [InlineData("features.x+")]
    public void MalformedItemsAreRejectedNamingTheItem(string text)
    {
        var e = Assert.Throws<FormatException>(() => FreezeSpec.Parse(text));
        Assert.Contains(text, e.Message);
    }

    [Fact]
    public void UnknownPathsAndOutOfRangeIndicesNameWhatExists()
    {
        using var model = TransferFixtures.MobileNet(2);
        var e = Assert.Throws<ArgumentException>(() => FreezeSpec.Parse("layer4").Select(model));
        Assert.Contains("features", e.Message);
        var r = Assert.Throws<ArgumentException>(() => FreezeSpec.Parse("features.10-40").Select(model));
        Assert.Contains("19 children", r.Message);
    }

    [Fact]
    public void FrozenParametersDoNotChangeAfterATrainingStepWhileUnfrozenOnesDo()
    {
        using var model = TransferFixtures.MobileNet(3);
        var frozen = FreezeSpec.Parse("features.0-12").Freeze(model);
        Assert.Equal(13, frozen.Count);
        var before = TransferFixtures.Snapshot(model);
        try
        {
            var groups = new[] { new ParameterGroup(model.NamedParameters().Select(p => new NamedTensor(p.Name, p.Parameter.Value))) };
            using var optimizer = new AdamW(groups, 1e-2);
            model.Train();
            using (var scope = Torch.NewDisposeScope())
            {
                var x = Tensor.Randn(new long[] { 4, 3, 32, 32 }, generator: null);
                var y = Tensor.FromArray(new long[] { 0, 1, 2, 0 });
                var loss = Functional.CrossEntropy(model.Forward(x), y);
                optimizer.ZeroGrad();
                loss.Backward();
                optimizer.Step();
            }
            Assert.Equal(0, TransferFixtures.MaxDiff(model, before, "features.0.0.weight"));
            Assert.Equal(0, TransferFixtures.MaxDiff(model, before, "features.12.conv.2.weight"));
            // A frozen BatchNorm keeps its running statistics even in training mode.
            Assert.Equal(0, TransferFixtures.MaxDiff(model, before, "features.5.conv.0.1.running_mean"));
            Assert.True(TransferFixtures.MaxDiff(model, before, "features.13.conv.0.0.weight") > 0);
            Assert.True(TransferFixtures.MaxDiff(model, before, "classifier.1.weight") > 0);
            Assert.True(TransferFixtures.MaxDiff(model, before, "features.14.conv.0.1.running_mean") > 0);
            Assert.All(model.NamedParameters().Where(p => p.Name.StartsWith("features.3.", StringComparison.Ordinal)), p => Assert.False(p.Parameter.RequiresGrad));

            FreezeSpec.Parse("features.0-12").Unfreeze(model);
            Assert.All(model.Parameters(), p => Assert.True(p.RequiresGrad));
        }
        finally
        {
            TransferFixtures.Free(before);
        }
    }
}
