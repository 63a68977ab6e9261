using SharpVision.Engine;
using SharpVision.Layers;

namespace SharpVision.Models;

/// <summary>
/// torchvision's Inception v3 (transform_input=False, init_weights=True) with identical names (Conv2d_1a_3x3.conv.weight,
/// Mixed_5b.branch1x1.bn.running_mean, AuxLogits.fc.weight, fc.weight, …). 27,161,264 parameters at 1000 classes with
/// the auxiliary head. Initialisation: truncated normal (std 0.1, bounds ±2; AuxLogits.fc std 0.001) for convolution
/// and linear weights, BN 1/0, default Linear biases. Inputs ≥ 75×75; the auxiliary head (training mode only) needs 299.
/// </summary>
public sealed class InceptionV3 : ClassifierModule
{
    /// <summary>Smallest input side the network accepts.</summary>
    public const int MinInputSize = 75;

    private readonly Module[] stem;
    private readonly Module[] mixed6;
    private readonly Module[] mixed7;
    private readonly AdaptiveAvgPool2d avgpool;
    private readonly Dropout dropout;
    private Linear fc;

    /// <summary>Creates the model.</summary>
    public InceptionV3(int numClasses = 1000, int inputChannels = 3, bool auxLogits = true, double dropout = 0.5) : base("inception_v3", "fc")
    {
        stem = new Module[]
        {
            RegisterModule("Conv2d_1a_3x3", new BasicConv2d(inputChannels, 32, 3, stride: 2)),
            RegisterModule("Conv2d_2a_3x3", new BasicConv2d(32, 32, 3)),
            RegisterModule("Conv2d_2b_3x3", new BasicConv2d(32, 64, 3, padding: 1)),
            RegisterModule("maxpool1", new MaxPool2d(3, 2)),
            RegisterModule("Conv2d_3b_1x1", new BasicConv2d(64, 80, 1)),
            RegisterModule("Conv2d_4a_3x3", new BasicConv2d(80, 192, 3)),
            RegisterModule("maxpool2", new MaxPool2d(3, 2)),
            RegisterModule("Mixed_5b", new InceptionA(192, 32)),
            RegisterModule("Mixed_5c", new InceptionA(256, 64)),
            RegisterModule("Mixed_5d", new InceptionA(288, 64)),
        };
        mixed6 = new Module[]
        {
            RegisterModule("Mixed_6a", new InceptionB(288)),
            RegisterModule("Mixed_6b", new InceptionC(768, 128)),
            RegisterModule("Mixed_6c", new InceptionC(768, 160)),
            RegisterModule("Mixed_6d", new InceptionC(768, 160)),
            RegisterModule("Mixed_6e", new InceptionC(768, 192)),
        };
        if (auxLogits) AuxLogits = RegisterModule("AuxLogits", new InceptionAux(768, numClasses));
        mixed7 = new Module[]
        {
            RegisterModule("Mixed_7a", new InceptionD(768)),
            RegisterModule("Mixed_7b", new InceptionE(1280)),
            RegisterModule("Mixed_7c", new InceptionE(2048)),
        };
        avgpool = RegisterModule("avgpool", new AdaptiveAvgPool2d(1));
        this.dropout = RegisterModule("dropout", new Dropout(dropout));
        fc = RegisterModule("fc", new Linear(2048, numClasses));
        NumClasses = numClasses;

        foreach (var (_, m) in NamedModules())
        {
            switch (m)
            {
                case Conv2d c: Init.TruncatedNormal(c.Weight.Value, 0, 0.1, -2, 2); break;
                // torchvision sets stddev 0.001 on AuxLogits.fc only (its conv1.stddev attribute sits on the
                // BasicConv2d, not on the Conv2d, so that conv keeps 0.1).
                case Linear l: Init.TruncatedNormal(l.Weight.Value, 0, ReferenceEquals(l, AuxLogits?.Fc) ? 0.001 : 0.1, -2, 2); break;
                case BatchNorm bn:
                    Init.Constant(bn.Weight!.Value, 1);
                    Init.Constant(bn.Bias!.Value, 0);
                    break;
            }
        }
    }

    /// <summary>The auxiliary classifier, or null when built without it.</summary>
    public InceptionAux? AuxLogits { get; }

    /// <inheritdoc />
    public override IReadOnlyList<string> HeadPaths => AuxLogits is null ? new[] { "fc" } : new[] { "fc", "AuxLogits.fc" };
    /// <inheritdoc />
    public override int FeatureDim => 2048;

    /// <summary>
    /// Main logits plus, in training mode with the auxiliary head, the auxiliary logits (torchvision's InceptionOutputs;
    /// the usual loss is main + 0.4·aux). Aux is null in eval mode or without the head.
    /// </summary>
    public (Tensor Logits, Tensor? Aux) ForwardWithAux(Tensor input)
    {
        Tensor? aux = null;
        using var f = Features(input, Training && AuxLogits is not null ? t => aux = AuxLogits!.Call(t) : null);
        try { return (ForwardHead(f), aux); }
        catch { aux?.Dispose(); throw; }
    }

    /// <summary>Everything up to global average pooling: [N, 2048].</summary>
    public override Tensor ForwardFeatures(Tensor input) => Features(input, null);

    private Tensor Features(Tensor input, Action<Tensor>? onMixed6e)
    {
        if (input.Dim != 4) throw new ArgumentException($"{Name}: expected an NCHW image batch, got {input}", nameof(input));
        if (input.Size(2) < MinInputSize || input.Size(3) < MinInputSize)
            throw new ArgumentException($"{Name} needs inputs of at least {MinInputSize}×{MinInputSize}, got {input}", nameof(input));
        using var a = Chain.Run(input, stem);
        using var b = Chain.Run(a, mixed6);
        onMixed6e?.Invoke(b);
        using var c = Chain.Run(b, mixed7);
        using var p = avgpool.Call(c);
        return p.Flatten(1);
    }

    /// <summary>dropout → fc.</summary>
    public override Tensor ForwardHead(Tensor features)
    {
        using var d = dropout.Call(features);
        return fc.Call(d);
    }

    /// <summary>Replaces fc (and AuxLogits.fc) by PyTorch-default-initialised Linear layers.</summary>
    protected override void BuildHead(int numClasses)
    {
        var head = new Linear(2048, numClasses);
        ReplaceModule("fc", head);
        fc = head;
        AuxLogits?.ReplaceFc(new Linear(768, numClasses));
    }
}
