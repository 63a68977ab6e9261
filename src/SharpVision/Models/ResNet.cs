using SharpVision.Engine;
using SharpVision.Layers;

namespace SharpVision.Models;

/// <summary>
/// torchvision's ResNet (resnet18/34/50) with identical module and parameter names (conv1, bn1, layer1.0.conv1, …, fc)
/// and initialisation (kaiming_normal_ fan_out for convolutions, BN 1/0, default Linear). Adaptive average pooling
/// makes any input ≥ 32 px work. Feature taps (<see cref="FeatureTaps"/>: layer1–layer3) append those stages' pooled
/// outputs to the features.
/// </summary>
public sealed class ResNet : ClassifierModule
{
    private readonly Sequential[] layers;
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly ReLU relu;
    private readonly MaxPool2d maxpool;
    private readonly AdaptiveAvgPool2d avgpool;
    private readonly int[] taps;

    private ResNet(string name, bool bottleneck, int[] blocks, int numClasses, int inputChannels, IReadOnlyList<string>? featureTaps) : base(name, "fc")
    {
        var expansion = bottleneck ? Bottleneck.Expansion : BasicBlock.Expansion;
        conv1 = RegisterModule("conv1", new Conv2d(inputChannels, 64, 7, 2, 3, bias: false));
        bn1 = RegisterModule("bn1", new BatchNorm2d(64));
        relu = RegisterModule("relu", new ReLU());
        maxpool = RegisterModule("maxpool", new MaxPool2d(3, 2, 1));
        var inPlanes = 64;
        layers = new Sequential[4];
        var planes = new[] { 64, 128, 256, 512 };
        for (var s = 0; s < 4; s++)
        {
            var layer = new Sequential();
            for (var b = 0; b < blocks[s]; b++)
            {
                var stride = b == 0 && s > 0 ? 2 : 1;
                layer.Append(bottleneck ? new Bottleneck(inPlanes, planes[s], stride) : new BasicBlock(inPlanes, planes[s], stride));
                inPlanes = planes[s] * expansion;
            }
            layers[s] = RegisterModule($"layer{s + 1}", layer);
        }
        avgpool = RegisterModule("avgpool", new AdaptiveAvgPool2d(1));
        taps = FeatureTaps.Resolve(name, featureTaps, new[] { ("layer1", 64 * expansion), ("layer2", 128 * expansion), ("layer3", 256 * expansion) });
        FeatureDim = 512 * expansion + taps.Sum(t => planes[t] * expansion);
        RegisterModule("fc", new Linear(FeatureDim, numClasses));
        NumClasses = numClasses;
        WeightInit.Torchvision(this, linearNormal: false);
    }

    /// <summary>ResNet-18 (BasicBlock ×[2, 2, 2, 2]; 11,689,512 parameters at 1000 classes).</summary>
    public static ResNet ResNet18(int numClasses = 1000, int inputChannels = 3, IReadOnlyList<string>? featureTaps = null) =>
        new("resnet18", false, new[] { 2, 2, 2, 2 }, numClasses, inputChannels, featureTaps);

    /// <summary>ResNet-34 (BasicBlock ×[3, 4, 6, 3]; 21,797,672 parameters at 1000 classes).</summary>
    public static ResNet ResNet34(int numClasses = 1000, int inputChannels = 3, IReadOnlyList<string>? featureTaps = null) =>
        new("resnet34", false, new[] { 3, 4, 6, 3 }, numClasses, inputChannels, featureTaps);

    /// <summary>ResNet-50 (Bottleneck ×[3, 4, 6, 3]; 25,557,032 parameters at 1000 classes).</summary>
    public static ResNet ResNet50(int numClasses = 1000, int inputChannels = 3, IReadOnlyList<string>? featureTaps = null) =>
        new("resnet50", true, new[] { 3, 4, 6, 3 }, numClasses, inputChannels, featureTaps);

    /// <inheritdoc />
    public override int FeatureDim { get; }
    /// <inheritdoc />
    public override IReadOnlyList<string> FeatureTapPaths => taps.Select(t => $"layer{t + 1}").ToArray();

    /// <inheritdoc />
    public override Tensor ForwardFeatures(Tensor input)
    {
        if (input.Dim != 4) throw new ArgumentException($"{Name}: expected an NCHW image batch, got {input}", nameof(input));
        using var a = conv1.Call(input);
        using var b = bn1.Call(a);
        using var c = relu.Call(b);
        var x = maxpool.Call(c);
        var tapped = new List<Tensor>();
        try
        {
            for (var s = 0; s < layers.Length; s++)
            {
                var y = layers[s].Call(x);
                x.Dispose();
                x = y;
                if (Array.IndexOf(taps, s) >= 0) tapped.Add(FeatureTaps.Pool(x));
            }
            using var pooled = avgpool.Call(x);
            tapped.Insert(0, pooled.Flatten(1));
            return FeatureTaps.Concat(tapped);
        }
        finally
        {
            foreach (var t in tapped) t.Dispose();
            x.Dispose();
        }
    }

    /// <inheritdoc />
    public override Tensor ForwardHead(Tensor features) => this["fc"].Call(features);

    /// <inheritdoc />
    protected override void BuildHead(int numClasses)
    {
        ReplaceModule("fc", new Linear(FeatureDim, numClasses));
    }
}
