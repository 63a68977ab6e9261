using SharpVision.Data;
using SharpVision.Engine;
using SharpVision.Layers;
using SharpVision.Models;
using SharpVision.Tests.Support;

namespace SharpVision.Tests.Models;

public class FeatureTapsTests
{
    [Fact]
    public void MobileNetTapsAppendPooledBlockOutputsAndLeaveTheFinalFeaturesUnchanged()
    {
        Torch.ManualSeed(3);
        using var plain = ModelZoo.Create("mobilenet_v2", new ModelOptions { NumClasses = 4, InputHeight = 32, InputWidth = 32 });
        using var tapped = ModelZoo.Create("mobilenet_v2", new ModelOptions
        {
            NumClasses = 4, InputHeight = 32, InputWidth = 32, FeatureTaps = new[] { "features.16", "features.13" },
        });
        var model = (IClassifierModel)tapped;
        Assert.Equal(1280 + 96 + 160, model.FeatureDim);
        Assert.Equal(new[] { "features.13", "features.16" }, model.FeatureTapPaths);
        Assert.Equal(new long[] { 4, 1536 }, ((Linear)tapped["classifier.1"]).Weight.Shape);

        // Same backbone weights: only the head differs in shape.
        var state = plain.StateDict();
        var report = tapped.LoadStateDict(state.Where(kv => !kv.Key.StartsWith("classifier.", StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key, kv => kv.Value), strict: false);
        foreach (var t in state.Values) t.Dispose();

        using var scope = Torch.NewDisposeScope();
        using var noGrad = Torch.NoGrad();
        plain.Train();
        tapped.Train(); // batch statistics: a random MobileNetV2's eval-mode features are vanishingly small
        var x = Tensor.Randn(new long[] { 2, 3, 32, 32 });
        var expectedFinal = ((IClassifierModel)plain).ForwardFeatures(x);
        var features = model.ForwardFeatures(x);
        Assert.Equal(new long[] { 2, 1536 }, features.Shape);
        Assert.True(features.Narrow(1, 0, 1280).AllClose(expectedFinal, 1e-4, 1e-6));

        // Columns 1280..1375 are the mean over space of features.13's output.
        var trunk = (Sequential)tapped["features"];
        var block13 = trunk.ForwardRange(x, 0, 14);
        var pooled13 = block13.Mean(new long[] { 2, 3 });
        Assert.True(features.Narrow(1, 1280, 96).AllClose(pooled13, 1e-4, 1e-6));
        Assert.True(pooled13.Abs().Max().Item() > 1e-3);
        Assert.Equal(new long[] { 2, 4 }, tapped.Forward(x).Shape);
    }

    [Fact]
    public void ResNetTapsAddTheirStagesWidthsAndTheHeadFollowsOnReplacement()
    {
        Torch.ManualSeed(4);
        using var module = ModelZoo.Create("resnet18", new ModelOptions { NumClasses = 3, FeatureTaps = new[] { "layer2", "layer3" } });
        var model = (IClassifierModel)module;
        Assert.Equal(512 + 128 + 256, model.FeatureDim);
        module.Eval();
        using var scope = Torch.NewDisposeScope();
        using var noGrad = Torch.NoGrad();
        var x = Tensor.Randn(new long[] { 1, 3, 64, 64 });
        var features = model.ForwardFeatures(x);
        Assert.Equal(new long[] { 1, 896 }, features.Shape);
        Assert.True(model.ForwardHead(features).AllClose(module.Forward(x), 1e-4, 1e-5));
        model.ReplaceHead(6);
        Assert.Equal(new long[] { 6, 896 }, ((Linear)module["fc"]).Weight.Shape);
        Assert.Equal(new long[] { 1, 6 }, module.Forward(x).Shape);
    }

    [Theory]
    [InlineData("mobilenet_v2", "features.18", "features.17")]
    [InlineData("mobilenet_v2", "classifier.1", "features.0")]
    [InlineData("resnet50", "layer4", "layer3")]
    public void AnUntappableBlockIsRefusedWithTheValidOnes(string name, string tap, string listed)
    {
        var e = Assert.Throws<ArgumentException>(() => ModelZoo.Create(name, new ModelOptions { NumClasses = 2, FeatureTaps = new[] { tap } }));
        Assert.Contains($"'{tap}'", e.Message);
        Assert.Contains(listed, e.Message);
    }

    [Fact]
    public void AModelWithoutTapsRefusesThemNamingThoseThatHaveThem()
    {
        var e = Assert.Throws<ArgumentException>(() => ModelZoo.Create("lenet5", new ModelOptions { NumClasses = 2, FeatureTaps = new[] { "0" } }));
        Assert.Contains("lenet5", e.Message);
        Assert.Contains("mobilenet_v2", e.Message);
    }

    [Fact]
    public void TheTapsTravelWithTheModelFile()
    {
        using var dir = new TempDirectory();
        var options = new ModelOptions { NumClasses = 2, InputHeight = 64, InputWidth = 64, FeatureTaps = new[] { "layer3" } };
        Torch.ManualSeed(5);
        using var module = ModelZoo.Create("resnet18", options);
        var descriptor = new ModelDescriptor
        {
            Architecture = "resnet18", Options = options, ClassNames = new[] { "a", "b" }, InputHeight = 64, InputWidth = 64,
            Normalization = Normalization.ImageNet,
        };
        var path = dir.File("tapped.safetensors");
        ModelFile.Save(path, module, descriptor);

        var (loaded, read) = ModelFile.Load(path);
        using (loaded)
        {
            Assert.Equal(new[] { "layer3" }, read.Options.FeatureTaps);
            Assert.Equal(new[] { "layer3" }, ((IClassifierModel)loaded).FeatureTapPaths);
            module.Eval();
            loaded.Eval();
            using var scope = Torch.NewDisposeScope();
            using var noGrad = Torch.NoGrad();
            var x = Tensor.Randn(new long[] { 2, 3, 64, 64 });
            Assert.True(loaded.Forward(x).AllClose(module.Forward(x), 1e-5, 1e-6));
        }
    }
}
