using SharpVision.Data;
using SharpVision.Engine;
using SharpVision.Engine.IO;
using SharpVision.Imaging;
using SharpVision.Layers;
using SharpVision.Models;
using SharpVision.Tests.Support;

namespace SharpVision.Tests.Transfer;

/// <summary>Small image folders and models for the transfer-learning tests.</summary>
internal static class TransferFixtures
{
    /// <summary>
    /// Writes an image folder (class0/, class1/, …) of <paramref name="perClass"/> PNGs per class, <paramref name="side"/>
    /// pixels square: class c has a dominant colour channel c plus seeded noise, so a head can learn it.
    /// </summary>
    public static string WriteImageFolder(string root, int classes = 2, int perClass = 6, int side = 32, int seed = 1)
    {
        var rng = new Random(seed);
        for (var c = 0; c < classes; c++)
        {
            var dir = Path.Combine(root, "class" + c);
            Directory.CreateDirectory(dir);
            for (var i = 0; i < perClass; i++)
            {
                var pixels = new byte[side * side * 3];
                for (var p = 0; p < side * side; p++)
                    for (var ch = 0; ch < 3; ch++)
                        pixels[p * 3 + ch] = (byte)Math.Clamp((ch == c % 3 ? 170 : 60) + rng.Next(-50, 50) + (p % side) / 2, 0, 255);
                PngEncoder.Save(new RgbImage(side, side, 3, pixels), Path.Combine(dir, $"img{i:00}.png"));
            }
        }
        return root;
    }

    /// <summary>A MobileNetV2 (seeded) for <paramref name="classes"/> classes; tiny inputs (32 px) keep it fast.</summary>
    public static MobileNetV2 MobileNet(int classes, ulong seed = 7)
    {
        Torch.ManualSeed(seed);
        return (MobileNetV2)SeededModels.Create("mobilenet_v2", new ModelOptions { NumClasses = classes, InputHeight = 32, InputWidth = 32 }, seed);
    }

    /// <summary>
    /// A seeded ResNet-18 for <paramref name="classes"/> classes. Its residual connections keep eval-mode features of a
    /// random initialisation at a useful scale (a random MobileNetV2's pooled features are ~1e-9).
    /// </summary>
    public static ResNet ResNet18(int classes, ulong seed = 7)
    {
        Torch.ManualSeed(seed);
        return (ResNet)SeededModels.Create("resnet18", new ModelOptions { NumClasses = classes }, seed);
    }

    /// <summary>A copy of every parameter and buffer, by name (CPU float/int tensors detached from the model).</summary>
    public static Dictionary<string, Tensor> Snapshot(Module model)
    {
        var state = model.StateDict();
        var copy = state.ToDictionary(kv => kv.Key, kv => kv.Value.Clone().DetachFromDisposeScope(), StringComparer.Ordinal);
        foreach (var t in state.Values) t.Dispose();
        return copy;
    }

    /// <summary>Largest absolute difference between a tensor of the model and its snapshot.</summary>
    public static double MaxDiff(Module model, IReadOnlyDictionary<string, Tensor> snapshot, string name)
    {
        using var scope = Torch.NewDisposeScope();
        var state = model.StateDict();
        var a = state[name].To(DType.Float64);
        var b = snapshot[name].To(DType.Float64);
        var d = (a - b).Abs().Max().Item();
        foreach (var t in state.Values) t.Dispose();
        return d;
    }

    /// <summary>Frees a snapshot.</summary>
    public static void Free(Dictionary<string, Tensor> snapshot)
    {
        foreach (var t in snapshot.Values) t.Dispose();
    }

    /// <summary>Writes <paramref name="model"/>'s state dict as a plain safetensors weights file.</summary>
    public static void SaveWeights(Module model, string path, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var state = model.StateDict();
        try { SafeTensors.Save(path, state, metadata); }
        finally { foreach (var t in state.Values) t.Dispose(); }
    }

    /// <summary>A descriptor for a 32-px model file.</summary>
    public static ModelDescriptor Descriptor(IReadOnlyList<string> classes, string architecture = "mobilenet_v2") => new()
    {
        Architecture = architecture,
        Options = new ModelOptions { NumClasses = classes.Count, InputHeight = 32, InputWidth = 32 },
        ClassNames = classes,
        InputHeight = 32,
        InputWidth = 32,
        Normalization = Normalization.ImageNet,
    };
}
