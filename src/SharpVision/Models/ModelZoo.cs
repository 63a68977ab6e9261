using SharpVision.Layers;

namespace SharpVision.Models;

/// <summary>
/// Creates models by name: the Keras-style lenet5, cafe-cnn, cafe-cnn-dropout, small-convnet, mini-inception,
/// mini-inception-small and torchvision's vgg16, vgg19, resnet18, resnet34, resnet50, mobilenet_v2, inception_v3
/// (same parameter names, so torchvision state dicts load). Construction is deterministic after Torch.ManualSeed.
/// </summary>
public static class ModelZoo
{
    private sealed record Entry(string Name, (int Height, int Width) InputSize, string Description, Func<ModelOptions, Module> Factory, bool Taps = false);

    private static readonly Entry[] Entries =
    {
        new("lenet5", (28, 28), "LeNet-5 (tanh, average pooling), 28×28", o => new LeNet5(o)),
        new("fashion-cnn", (28, 28), "2 conv blocks with BatchNorm + dense 128, 28×28 grayscale (the demo's model)", o => new FashionCnn(o)),
        new("cafe-cnn", (128, 128), "4 conv blocks + 3 dense layers, 128×128, 2.1 M params at 5 classes", o => new CafeCnn(o, withDropout: false)),
        new("cafe-cnn-dropout", (128, 128), "cafe-cnn with Dropout(0.25) after each block and dense layer", o => new CafeCnn(o, withDropout: true)),
        new("small-convnet", (180, 180), "dogs-vs-cats convnet, 180×180, 991,041 params with one output", o => new SmallConvNet(o)),
        new("mini-inception", (32, 32), "compact Inception-v4 for 32×32 (CIFAR), 5.3 M params at 100 classes", MiniInception.Standard),
        new("mini-inception-small", (32, 32), "quarter-width mini Inception-v4, 2.6 M params at 100 classes", MiniInception.Small),
        new("vgg16", (224, 224), "torchvision VGG-16, 138,357,544 params", o => Vgg.Vgg16(o.NumClasses, o.InputChannels, o.Dropout ?? 0.5)),
        new("vgg19", (224, 224), "torchvision VGG-19, 143,667,240 params", o => Vgg.Vgg19(o.NumClasses, o.InputChannels, o.Dropout ?? 0.5)),
        new("resnet18", (224, 224), "torchvision ResNet-18, 11,689,512 params", o => ResNet.ResNet18(o.NumClasses, o.InputChannels, o.FeatureTaps), true),
        new("resnet34", (224, 224), "torchvision ResNet-34, 21,797,672 params", o => ResNet.ResNet34(o.NumClasses, o.InputChannels, o.FeatureTaps), true),
        new("resnet50", (224, 224), "torchvision ResNet-50, 25,557,032 params", o => ResNet.ResNet50(o.NumClasses, o.InputChannels, o.FeatureTaps), true),
        new("mobilenet_v2", (224, 224), "torchvision MobileNetV2, 3,504,872 params", o => new MobileNetV2(o.NumClasses, o.InputChannels, o.Dropout ?? 0.2, o.FeatureTaps), true),
        new("inception_v3", (299, 299), "torchvision Inception v3 with AuxLogits, 27,161,264 params", o => new InceptionV3(o.NumClasses, o.InputChannels, o.AuxLogits, o.Dropout ?? 0.5)),
    };

    /// <summary>Every model name, in a stable order.</summary>
    public static IReadOnlyList<string> Names { get; } = Entries.Select(e => e.Name).ToArray();

    /// <summary>True when <paramref name="name"/> is a zoo model (case-insensitive).</summary>
    public static bool Contains(string name) => Find(name) is not null;

    /// <summary>One-line description of a model.</summary>
    public static string Describe(string name) => Get(name).Description;

    /// <summary>The input (height, width) the model is designed for.</summary>
    public static (int Height, int Width) DefaultInputSize(string name) => Get(name).InputSize;

    /// <summary>
    /// Builds <paramref name="name"/> (case-insensitive). Unknown names throw an <see cref="ArgumentException"/> listing
    /// the valid ones; invalid options throw naming the option.
    /// </summary>
    public static Module Create(string name, ModelOptions? options = null)
    {
        var e = Get(name);
        var resolved = (options ?? new ModelOptions()).Resolve(e.Name, e.InputSize);
        if (resolved.FeatureTaps is { Count: > 0 } && !e.Taps)
        {
            throw new ArgumentException(
                $"{e.Name}: feature taps are supported by {string.Join(", ", Entries.Where(x => x.Taps).Select(x => x.Name))}, not by this model",
                nameof(options));
        }
        return e.Factory(resolved);
    }

    private static Entry? Find(string name) =>
        name is null ? null : Entries.FirstOrDefault(e => string.Equals(e.Name, name.Trim(), StringComparison.OrdinalIgnoreCase));

    private static Entry Get(string name) =>
        Find(name) ?? throw new ArgumentException($"unknown model '{name}'; valid names: {string.Join(", ", Names)}", nameof(name));
}
