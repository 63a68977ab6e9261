using SharpVision.Engine;
using SharpVision.Layers;

namespace SharpVision.Models;

/// <summary>
/// torchvision's VGG (vgg16 = configuration D, vgg19 = E, without batch norm): features (3×3 convs + ReLU, max pools),
/// avgpool (adaptive 7×7), classifier (Linear 25088→4096, ReLU, Dropout, Linear 4096→4096, ReLU, Dropout,
/// Linear 4096→classes). Same names and initialisation as torchvision; the replaceable head is classifier.6.
/// </summary>
public sealed class Vgg : ClassifierModule
{
    private static readonly int[] ConfigD = { 64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512, 0 };
    private static readonly int[] ConfigE = { 64, 64, 0, 128, 128, 0, 256, 256, 256, 256, 0, 512, 512, 512, 512, 0, 512, 512, 512, 512, 0 };

    private readonly Sequential features;
    private readonly AdaptiveAvgPool2d avgpool;
    private readonly Sequential classifier;

    private Vgg(string name, int[] config, int numClasses, int inputChannels, double dropout) : base(name, "classifier.6")
    {
        features = new Sequential();
        var c = inputChannels;
        foreach (var v in config)
        {
            if (v == 0) { features.Append(new MaxPool2d(2, 2)); continue; }
            features.Append(new Conv2d(c, v, 3, 1, 1));
            features.Append(new ReLU());
            c = v;
        }
        RegisterModule("features", features);
        avgpool = RegisterModule("avgpool", new AdaptiveAvgPool2d(7));
        classifier = RegisterModule("classifier", new Sequential(
            new Linear(512 * 7 * 7, 4096), new ReLU(), new Dropout(dropout),
            new Linear(4096, 4096), new ReLU(), new Dropout(dropout),
            new Linear(4096, numClasses)));
        NumClasses = numClasses;
        WeightInit.Torchvision(this, linearNormal: true);
    }

    /// <summary>VGG-16 (138,357,544 parameters at 1000 classes).</summary>
    public static Vgg Vgg16(int numClasses = 1000, int inputChannels = 3, double dropout = 0.5) => new("vgg16", ConfigD, numClasses, inputChannels, dropout);

    /// <summary>VGG-19 (143,667,240 parameters at 1000 classes).</summary>
    public static Vgg Vgg19(int numClasses = 1000, int inputChannels = 3, double dropout = 0.5) => new("vgg19", ConfigE, numClasses, inputChannels, dropout);

    /// <inheritdoc />
    public override int FeatureDim => 4096;

    /// <summary>features → avgpool → flatten → classifier.0–5: the 4096-wide penultimate activations.</summary>
    public override Tensor ForwardFeatures(Tensor input)
    {
        if (input.Dim != 4) throw new ArgumentException($"{Name}: expected an NCHW image batch, got {input}", nameof(input));
        using var f = features.Call(input);
        using var p = avgpool.Call(f);
        using var flat = p.Flatten(1);
        return classifier.ForwardRange(flat, 0, 6);
    }

    /// <inheritdoc />
    public override Tensor ForwardHead(Tensor features) => classifier[6].Call(features);

    /// <inheritdoc />
    protected override void BuildHead(int numClasses)
    {
        var head = new Linear(4096, numClasses);
        Init.Normal(head.Weight.Value, 0, 0.01);
        Init.Constant(head.Bias!.Value, 0);
        classifier.Replace(6, head);
    }
}
