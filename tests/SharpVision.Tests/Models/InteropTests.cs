using SharpVision.Engine;
using SharpVision.Engine.IO;
using SharpVision.Layers;
using SharpVision.Models;

namespace SharpVision.Tests.Models;

/// <summary>Loads torchvision state dicts by name (strict) and compares eval-mode logits with PyTorch's.</summary>
public class InteropTests
{
    [InteropTheory]
    [InlineData("resnet18", 32)]
    [InlineData("mobilenet_v2", 32)]
    [InlineData("inception_v3", 75)]
    [InlineData("vgg16", 32)]
    public void TorchvisionWeightsLoadStrictlyAndLogitsMatchPyTorch(string name, int size)
    {
        var dir = InteropFixtures.Ensure();
        using var model = ModelZoo.Create(name, new ModelOptions { NumClasses = 10, InputHeight = size, InputWidth = size });
        var (weights, _) = SafeTensors.Load(Path.Combine(dir, name + ".safetensors"));
        StateDictLoadReport report;
        try { report = model.LoadStateDict(weights, strict: true); }
        finally { foreach (var t in weights.Values) t.Dispose(); }
        Assert.True(report.IsComplete);

        var (io, _) = SafeTensors.Load(Path.Combine(dir, name + ".io.safetensors"));
        using var scope = Torch.NewDisposeScope();
        using var input = io["input"];
        using var expected = io["output"];
        model.Eval();
        using var _ = Torch.NoGrad();
        var actual = model.Forward(input);
        Assert.Equal(expected.Shape, actual.Shape);
        var maxDiff = (actual - expected).Abs().Max().ItemFloat();
        Assert.True(maxDiff < 1e-4, $"{name}: max |SharpVision − PyTorch| = {maxDiff}");
    }

    [InteropTheory]
    [InlineData("resnet18")]
    public void PyTorchStateDictForAnotherModelIsRejectedWithTheNames(string name)
    {
        var dir = InteropFixtures.Ensure();
        using var other = ModelZoo.Create("resnet34", new ModelOptions { NumClasses = 1000 });
        var (weights, _) = SafeTensors.Load(Path.Combine(dir, name + ".safetensors"));
        try
        {
            var e = Assert.Throws<ArgumentException>(() => other.LoadStateDict(weights));
            Assert.Contains("layer1.2.conv1.weight", e.Message);   // missing: resnet34 has 3 blocks in layer1
            Assert.Contains("fc.weight: expected [1000, 512], got [10, 512]", e.Message);
            var report = other.LoadStateDict(weights, strict: false);
            Assert.NotEmpty(report.Loaded);
            Assert.Contains("fc.bias: expected [1000], got [10]", report.ShapeMismatched);
        }
        finally { foreach (var t in weights.Values) t.Dispose(); }
    }
}
