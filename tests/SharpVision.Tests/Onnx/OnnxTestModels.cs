using SharpVision.Data;
using SharpVision.Engine;
using SharpVision.Layers;
using SharpVision.Models;
using SharpVision.Tests.Support;

namespace SharpVision.Tests.Onnx;

/// <summary>Seeded zoo models with non-trivial BatchNorm statistics, and their descriptors, for the ONNX tests.</summary>
internal static class OnnxTestModels
{
    public static (Module Model, ModelDescriptor Descriptor) Create(string name, int size, int channels = 3, int classes = 5, string[]? taps = null, ulong seed = 7,
        IReadOnlyList<string>? classNames = null, ResizeMode resize = ResizeMode.Stretch)
    {
        if (classNames is not null) classes = classNames.Count;
        Torch.ManualSeed(seed);
        var options = new ModelOptions { NumClasses = classes, InputChannels = channels, InputHeight = size, InputWidth = size, FeatureTaps = taps };
        var model = SeededModels.Create(name, options, seed);
        // Eval-mode BatchNorm with running mean 0 / var 1 would leave randomly initialised deep models with exploding
        // activations (Inception v3's logits reach 1e9). Calibrate as training would: running statistics = the batch
        // statistics of one seeded training-mode pass of 16 images (zeroed first, so after momentum 0.1 they are a tenth of them),
        // with seeded γ and β.
        var norms = model.NamedModules().Select(m => m.Module).OfType<BatchNorm>().ToList();
        if (norms.Count > 0)
        {
            using var g = new Generator(seed);
            using (Torch.NoGrad())
            {
                foreach (var bn in norms)
                {
                    bn.RunningMean!.Fill_(0);
                    bn.RunningVar!.Fill_(0);
                    using var w = Tensor.Rand(new long[] { bn.NumFeatures }, g);
                    using var w1 = w + 0.5;
                    bn.Weight!.Value.Copy_(w1);
                    using var b = Tensor.Randn(new long[] { bn.NumFeatures }, g);
                    using var b1 = b * 0.1;
                    bn.Bias!.Value.Copy_(b1);
                }
                model.Train();
                using (var x = Tensor.Randn(new long[] { 16, channels, size, size }, g))
                using (model.Call(x)) { }
                foreach (var bn in norms)
                {
                    using var m10 = bn.RunningMean! * 10.0;
                    bn.RunningMean!.Copy_(m10);
                    // A channel that ReLU left (almost) dead has variance ~0, and 1/sqrt(var + eps) would multiply float
                    // rounding by up to 300: floor it, as any trained network's statistics are.
                    using var v10 = bn.RunningVar! * 10.0;
                    using var floored = v10.Clamp(0.01);
                    bn.RunningVar!.Copy_(floored);
                }
            }
        }
        model.Eval();
        var descriptor = new ModelDescriptor
        {
            Architecture = name,
            Options = options,
            ClassNames = classNames ?? Enumerable.Range(0, classes).Select(i => $"class{i}").ToArray(),
            Resize = resize,
            InputChannels = channels,
            InputHeight = size,
            InputWidth = size,
            Normalization = channels == 3 ? Normalization.ImageNet : Normalization.Unit,
            Training = new Dictionary<string, string> { ["fingerprint"] = $"model={name} seed={seed}", ["epochs"] = "3" },
        };
        return (model, descriptor);
    }

    /// <summary>Saves a seeded model as a .safetensors model file and exports it to .onnx beside it; returns both paths.</summary>
    public static (string SafeTensors, string Onnx) SaveBoth(string folder, string name, int size, int channels = 3, IReadOnlyList<string>? classNames = null,
        ResizeMode resize = ResizeMode.Stretch)
    {
        var (model, descriptor) = Create(name, size, channels, classNames: classNames, resize: resize);
        using (model)
        {
            var st = Path.Combine(folder, $"{name}.safetensors");
            var onnx = Path.Combine(folder, $"{name}.onnx");
            ModelFile.Save(st, model, descriptor);
            SharpVision.Onnx.OnnxExporter.Export(model, descriptor, onnx);
            return (st, onnx);
        }
    }
}
