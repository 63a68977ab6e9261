using SharpVision.Engine;
using SharpVision.Layers;

namespace SharpVision.Models;

/// <summary>
/// torchvision's MobileNetV2 (width 1.0): features.0 ConvBnAct(3→32, stride 2), features.1–17 inverted residual
/// blocks, features.18 ConvBnAct(320→1280, 1×1), global average pooling, classifier (Dropout 0.2, Linear 1280→classes).
/// 3,504,872 parameters at 1000 classes; names match torchvision and the shared pretrained weights.
/// With feature taps (<see cref="FeatureTaps"/>, e.g. features.13 and features.16) the pooled outputs of those blocks
/// are concatenated after the 1280 final features and the classifier is sized for the sum.
/// </summary>
public sealed class MobileNetV2 : ClassifierModule
{
    private readonly Sequential features;
    private readonly Sequential classifier;
    private readonly int[] taps;

    /// <summary>Creates the model.</summary>
    /// <param name="numClasses">Classes of the head.</param>
    /// <param name="inputChannels">Image channels.</param>
    /// <param name="dropout">Dropout before the last Linear layer.</param>
    /// <param name="featureTaps">Blocks ("features.0" … "features.17") whose pooled outputs join the features.</param>
    public MobileNetV2(int numClasses = 1000, int inputChannels = 3, double dropout = 0.2, IReadOnlyList<string>? featureTaps = null) : base("mobilenet_v2", "classifier.1")
    {
        // (expansion t, channels c, repeats n, first stride s), as in the paper and torchvision.
        int[,] settings = { { 1, 16, 1, 1 }, { 6, 24, 2, 2 }, { 6, 32, 3, 2 }, { 6, 64, 4, 2 }, { 6, 96, 3, 1 }, { 6, 160, 3, 2 }, { 6, 320, 1, 1 } };
        features = new Sequential(new ConvBnAct(inputChannels, 32, 3, 2, activation: Activation.Relu6));
        var c = 32;
        var blocks = new List<(string, int)> { ("features.0", 32) };
        for (var i = 0; i < settings.GetLength(0); i++)
        {
            for (var r = 0; r < settings[i, 2]; r++)
            {
                features.Append(new InvertedResidual(c, settings[i, 1], r == 0 ? settings[i, 3] : 1, settings[i, 0]));
                c = settings[i, 1];
                blocks.Add(($"features.{blocks.Count}", c));
            }
        }
        features.Append(new ConvBnAct(c, LastChannel, 1, activation: Activation.Relu6));
        RegisterModule("features", features);
        taps = FeatureTaps.Resolve(Name, featureTaps, blocks);
        FeatureDim = LastChannel + taps.Sum(t => blocks[t].Item2);
        classifier = RegisterModule("classifier", new Sequential(new Dropout(dropout), new Linear(FeatureDim, numClasses)));
        NumClasses = numClasses;
        WeightInit.Torchvision(this, linearNormal: true);
    }

    private const int LastChannel = 1280;

    /// <inheritdoc />
    public override int FeatureDim { get; }
    /// <inheritdoc />
    public override IReadOnlyList<string> FeatureTapPaths => taps.Select(t => $"features.{t}").ToArray();

    /// <summary>features → global average pooling → flatten: [N, 1280], followed by the pooled taps if any.</summary>
    public override Tensor ForwardFeatures(Tensor input)
    {
        if (input.Dim != 4) throw new ArgumentException($"{Name}: expected an NCHW image batch, got {input}", nameof(input));
        if (taps.Length == 0)
        {
            using var f = features.Call(input);
            return FeatureTaps.Pool(f);
        }
        var pooled = new List<Tensor>();
        var x = input.Alias();
        try
        {
            var next = 0;
            foreach (var t in taps)
            {
                var y = features.ForwardRange(x, next, t + 1);
                x.Dispose();
                x = y;
                next = t + 1;
                pooled.Add(FeatureTaps.Pool(x));
            }
            using (var last = features.ForwardRange(x, next, features.Count)) pooled.Insert(0, FeatureTaps.Pool(last));
            return FeatureTaps.Concat(pooled);
        }
        finally
        {
            foreach (var p in pooled) p.Dispose();
            x.Dispose();
        }
    }

    /// <summary>classifier: Dropout(0.2) → Linear.</summary>
    public override Tensor ForwardHead(Tensor features) => classifier.Call(features);

    /// <inheritdoc />
    protected override void BuildHead(int numClasses)
    {
        var head = new Linear(FeatureDim, numClasses);
        Init.Normal(head.Weight.Value, 0, 0.01);
        Init.Constant(head.Bias!.Value, 0);
        classifier.Replace(1, head);
    }
}
