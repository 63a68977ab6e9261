using SharpVision.Engine;
using SharpVision.Engine.IO;
using SharpVision.Models;
using SharpVision.Tests.Support;

namespace SharpVision.Tests.Models;

public class PretrainedSharedTests
{
    [SharedDataFact("pretrained/mobilenet_v2_imagenet.safetensors")]
    public void SharedPretrainedMobileNetLoadsStrictlyAndPredictsConfidently()
    {
        using var model = ModelZoo.Create("mobilenet_v2", new ModelOptions());
        var (weights, _) = SafeTensors.Load(TestPaths.Shared("pretrained/mobilenet_v2_imagenet.safetensors"));
        try { Assert.True(model.LoadStateDict(weights).IsComplete); }
        finally { foreach (var t in weights.Values) t.Dispose(); }
        model.Eval();
        using var scope = Torch.NewDisposeScope();
        using var _ = Torch.NoGrad();
        // A flat mid-grey image, normalised as for ImageNet: the output must be a proper distribution.
        var x = Tensor.Zeros(new long[] { 1, 3, 224, 224 });
        var p = model.Forward(x).Softmax(1);
        Assert.Equal(1f, p.Sum().ItemFloat(), 3);
        Assert.Equal(0, p.IsNan().Sum().ItemLong());
    }
}
