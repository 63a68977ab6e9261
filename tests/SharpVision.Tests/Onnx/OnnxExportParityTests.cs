using SharpVision.Onnx;
using SharpVision.Tests.Support;

namespace SharpVision.Tests.Onnx;

/// <summary>
/// Every zoo model exported with seeded random weights runs in ONNX Runtime with libtorch's eval-mode outputs at batch
/// 1 and 7, at small inputs: the same arg-max, and max |difference| ≤ 1e-4, or, for the deepest networks, no more than
/// 3× libtorch's own float32 floor on that model (the same image alone and inside a batch of 7 gives logits that far
/// apart in libtorch itself; ONNX Runtime has been seen at 0.7–2.7× of it).
/// The models' initial weights come from a private generator (<see cref="Support.SeededModels"/>), so each seed gives
/// the same model in every run, whatever other tests draw meanwhile, and a bound that holds once holds always.
/// </summary>
public sealed class OnnxExportParityTests
{
    [Theory]
    [InlineData("lenet5", 28, 1, 10, null)]
    [InlineData("fashion-cnn", 28, 1, 10, null)]
    [InlineData("cafe-cnn", 64, 3, 5, null)]
    [InlineData("cafe-cnn-dropout", 64, 3, 5, null)]
    [InlineData("small-convnet", 80, 3, 2, null)]
    [InlineData("small-convnet", 80, 3, 4, null)]
    [InlineData("mini-inception", 32, 3, 10, null)]
    [InlineData("mini-inception-small", 32, 3, 10, null)]
    [InlineData("resnet18", 64, 3, 5, null)]
    [InlineData("resnet34", 32, 3, 5, null)]
    [InlineData("resnet50", 64, 3, 5, null)]
    [InlineData("vgg16", 32, 3, 5, null)]
    [InlineData("mobilenet_v2", 64, 3, 5, null)]
    [InlineData("mobilenet_v2", 64, 3, 5, "features.13,features.16")]
    [InlineData("resnet18", 48, 3, 5, "layer2,layer3")]
    [InlineData("inception_v3", 75, 3, 5, null)]
    public void ExportedZooModelMatchesLibtorch(string name, int size, int channels, int classes, string? taps)
    {
        var (model, descriptor) = OnnxTestModels.Create(name, size, channels, classes, taps?.Split(','));
        using (model)
        {
            using var dir = new TempDirectory("sv-onnx");
            var path = dir.File($"{name}.onnx");
            OnnxExporter.Export(model, descriptor, path);
            var result = OnnxParity.Check(model, descriptor, path, new[] { 1, 7 }, threads: 1);
            var floor = LibtorchBatchNoise(model, channels, size);
            Assert.True(result.SameArgmax, $"{name}: {result}");
            Assert.Equal(8, result.Rows);
            Assert.True(result.MaxAbsDifference <= Math.Max(1e-4, 3 * floor), $"{name}: {result}; libtorch batch-1 vs batch-7: {floor:0.###e+0}");
        }
    }

    /// <summary>The largest difference between libtorch's logits for an image alone and inside a batch of 7.</summary>
    private static double LibtorchBatchNoise(SharpVision.Layers.Module model, int channels, int size)
    {
        using var noGrad = SharpVision.Engine.Torch.NoGrad();
        using var g = new SharpVision.Engine.Generator(3);
        using var x7 = SharpVision.Engine.Tensor.Randn(new long[] { 7, channels, size, size }, g);
        using var y7 = model.Call(x7);
        var all = y7.ToArray<float>();
        double max = 0;
        for (var i = 0; i < 7; i++)
        {
            using var xi = x7.Narrow(0, i, 1);
            using var yi = model.Call(xi);
            var one = yi.ToArray<float>();
            for (var j = 0; j < one.Length; j++) max = Math.Max(max, Math.Abs(all[i * one.Length + j] - one[j]));
        }
        return max;
    }

    [Theory]
    [InlineData("small-convnet", 80, 2)]
    [InlineData("cafe-cnn", 64, 5)]
    public void SoftmaxExportOutputsProbabilitiesMatchingLibtorch(string name, int size, int classes)
    {
        var (model, descriptor) = OnnxTestModels.Create(name, size, 3, classes);
        using (model)
        {
            using var dir = new TempDirectory("sv-onnx");
            var path = dir.File("m.onnx");
            OnnxExporter.Export(model, descriptor, path, new OnnxExportOptions { Softmax = true });
            var result = OnnxParity.Check(model, descriptor, path, new[] { 1, 7 }, threads: 1);
            Assert.True(result.Passed, result.ToString());
        }
    }
}
