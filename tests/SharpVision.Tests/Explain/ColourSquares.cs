using SharpVision.Data;
using SharpVision.Engine;
using SharpVision.Imaging;
using SharpVision.Layers;
using SharpVision.Models;
using SharpVision.Tests.Support;
using SharpVision.Training.Optimizers;

namespace SharpVision.Tests.Explain;

/// <summary>
/// A tiny synthetic task for evaluate/explain tests: 32×32 photos of a red, green or blue square on a noisy grey
/// background, written as real PNG and JPEG files, and a LeNet-5 trained on them in well under a second.
/// </summary>
internal static class ColourSquares
{
    /// <summary>Class names in folder (ordinal) order.</summary>
    public static readonly string[] Classes = ["blue", "green", "red"];

    private static readonly (byte R, byte G, byte B)[] Colours = [(30, 60, 220), (40, 190, 50), (220, 40, 40)];

    /// <summary>One image of class <paramref name="label"/>; the square's place and the noise come from <paramref name="seed"/>.</summary>
    public static RgbImage Make(int label, int seed, int size = 32)
    {
        var rng = new Random(seed);
        var img = new RgbImage(size, size);
        var side = size / 2;
        int x0 = rng.Next(0, size - side + 1), y0 = rng.Next(0, size - side + 1);
        var (r, g, b) = Colours[label];
        for (var y = 0; y < size; y++)
            for (var x = 0; x < size; x++)
            {
                var o = img.Offset(x, y);
                var inside = x >= x0 && x < x0 + side && y >= y0 && y < y0 + side;
                var n = rng.Next(-15, 16);
                img.Pixels[o] = Clamp((inside ? r : 128) + n);
                img.Pixels[o + 1] = Clamp((inside ? g : 128) + n);
                img.Pixels[o + 2] = Clamp((inside ? b : 128) + n);
            }
        return img;
    }

    /// <summary>Writes root/&lt;class&gt;/NNN.png|jpg (alternating formats); returns the file paths by class.</summary>
    public static void WriteFolder(string root, int perClass, int seed)
    {
        for (var c = 0; c < Classes.Length; c++)
        {
            var dir = Directory.CreateDirectory(Path.Combine(root, Classes[c])).FullName;
            for (var i = 0; i < perClass; i++)
            {
                var image = Make(c, seed * 1000 + c * 100 + i);
                if (i % 2 == 0) PngEncoder.Save(image, Path.Combine(dir, $"{i:D3}.png"));
                else JpegEncoder.Save(image, Path.Combine(dir, $"{i:D3}.jpg"), quality: 95);
            }
        }
    }

    /// <summary>The descriptor of the LeNet-5 (3 channels, 28×28, 3 classes, unit normalisation).</summary>
    public static ModelDescriptor Descriptor(string[]? classes = null) => new()
    {
        Architecture = "lenet5",
        Options = new ModelOptions { NumClasses = 3, InputChannels = 3, InputHeight = 28, InputWidth = 28 },
        ClassNames = classes ?? Classes,
        InputHeight = 28,
        InputWidth = 28,
        Normalization = Normalization.Unit,
    };

    /// <summary>An untrained cafe-cnn at 64×64 for the three colours (ImageNet normalisation), as the explain CLI tests use it.</summary>
    public static ModelDescriptor CafeDescriptor() => new()
    {
        Architecture = "cafe-cnn",
        Options = new ModelOptions { NumClasses = 3, InputHeight = 64, InputWidth = 64 },
        ClassNames = Classes,
        InputHeight = 64,
        InputWidth = 64,
        Normalization = Normalization.ImageNet,
    };

    /// <summary>Trains a LeNet-5 for <paramref name="steps"/> Adam steps on 90 generated images (seeded) and saves it.</summary>
    public static void TrainAndSave(string path, int steps, ulong seed, string[]? classes = null)
    {
        classes ??= Classes;
        var descriptor = Descriptor(classes);
        using var model = SeededModels.Create(descriptor.Architecture, descriptor.Options, seed);
        var pre = new ImagePreprocessor(28, 28);
        const int n = 90;
        var pixels = new byte[n * 3 * 28 * 28];
        var labels = new long[n];
        for (var i = 0; i < n; i++)
        {
            // Labels follow the model's class names, whatever their order.
            var colour = i % 3;
            labels[i] = Array.IndexOf(classes, Classes[colour]);
            pre.ProcessToChw(Make(colour, 777_000 + i + (int)seed * 10_000), pixels.AsSpan(i * 3 * 28 * 28, 3 * 28 * 28));
        }
        using var x = Tensor.FromArray(pixels, n, 3, 28, 28).To(DType.Float32).Div(255.0);
        using var y = Tensor.FromArray(labels);
        var group = new ParameterGroup(model.NamedParameters().Select(p => new NamedTensor(p.Name, p.Parameter.Value)));
        using var adam = new Adam(new[] { group }, learningRate: 0.01);
        model.Train();
        for (var step = 0; step < steps; step++)
        {
            using var scope = Torch.NewDisposeScope();
            var loss = Functional.CrossEntropy(model.Call(x), y);
            adam.ZeroGrad();
            loss.Backward();
            adam.Step();
        }
        model.Eval();
        ModelFile.Save(path, model, descriptor);
    }

    private static byte Clamp(int v) => (byte)Math.Clamp(v, 0, 255);
}
