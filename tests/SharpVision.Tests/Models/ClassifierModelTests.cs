using SharpVision.Engine;
using SharpVision.Layers;
using SharpVision.Models;

namespace SharpVision.Tests.Models;

public class ClassifierModelTests
{
    [Theory]
    [InlineData("resnet18", "fc", 512, 64)]
    [InlineData("resnet50", "fc", 2048, 64)]
    [InlineData("vgg16", "classifier.6", 4096, 32)]
    [InlineData("mobilenet_v2", "classifier.1", 1280, 64)]
    [InlineData("inception_v3", "fc", 2048, 75)]
    [InlineData("mini-inception-small", "classifier", 384, 32)]
    [InlineData("cafe-cnn", "12", 64, 128)]
    public void FeaturesThenHeadEqualsForwardAndHeadCanBeReplaced(string name, string head, int featureDim, int size)
    {
        Torch.ManualSeed(6);
        using var module = ModelZoo.Create(name, new ModelOptions { NumClasses = 7 });
        var model = (IClassifierModel)module;
        Assert.Equal(head, model.HeadPrefix);
        Assert.Equal(featureDim, model.FeatureDim);
        Assert.IsType<Linear>(module[head]);
        module.Eval();
        using var scope = Torch.NewDisposeScope();
        using var _ = Torch.NoGrad();
        var x = Tensor.Randn(new long[] { 1, 3, size, size });
        var features = model.ForwardFeatures(x);
        Assert.Equal(new long[] { 1, featureDim }, features.Shape);
        Assert.True(model.ForwardHead(features).AllClose(module.Forward(x), 1e-4, 1e-5));

        model.ReplaceHead(3);
        Assert.Equal(3, model.NumClasses);
        Assert.Equal(new long[] { 1, 3 }, module.Forward(x).Shape);
        Assert.Equal(new long[] { 3, featureDim }, ((Linear)module[head]).Weight.Shape);
    }

    [Fact]
    public void FreezeBackboneLeavesOnlyTheHeadTrainable()
    {
        using var module = ModelZoo.Create("vgg16", new ModelOptions { NumClasses = 4 });
        var model = (IClassifierModel)module;
        model.FreezeBackbone();
        var trainable = module.NamedParameters().Where(p => p.Parameter.RequiresGrad).Select(p => p.Name).ToArray();
        Assert.Equal(new[] { "classifier.6.weight", "classifier.6.bias" }, trainable);
        Assert.Contains(model.BackboneModules(), m => m.Path == "classifier.0");
        Assert.Equal(trainable, model.HeadParameters().Select(p => p.Name));
        model.UnfreezeBackbone();
        Assert.All(module.Parameters(), p => Assert.True(p.RequiresGrad));
    }

    [Fact]
    public void InceptionReplaceHeadAlsoReplacesTheAuxiliaryClassifier()
    {
        using var model = new InceptionV3(numClasses: 10);
        model.ReplaceHead(4);
        Assert.Equal(new long[] { 4, 768 }, ((Linear)model["AuxLogits.fc"]).Weight.Shape);
        Assert.Equal(new[] { "fc", "AuxLogits.fc" }, model.HeadPaths);
    }

    [Fact]
    public void TorchvisionParameterNamesMatch()
    {
        using var scope = Torch.NewDisposeScope();
        using var mobilenet = ModelZoo.Create("mobilenet_v2", new ModelOptions());
        var names = mobilenet.StateDict().Keys.ToHashSet();
        Assert.Contains("features.0.0.weight", names);
        Assert.Contains("features.1.conv.0.1.bias", names);
        Assert.Contains("features.2.conv.1.0.weight", names);
        Assert.Contains("features.18.1.running_var", names);
        Assert.Contains("classifier.1.weight", names);
        Assert.Equal(314, names.Count);

        using var resnet = ModelZoo.Create("resnet50", new ModelOptions());
        var r = resnet.StateDict().Keys.ToHashSet();
        Assert.Contains("layer1.0.downsample.0.weight", r);
        Assert.Contains("layer4.2.bn3.num_batches_tracked", r);
        Assert.Contains("fc.bias", r);
    }
}
