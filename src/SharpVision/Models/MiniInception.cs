using SharpVision.Layers;

namespace SharpVision.Models;

/// <summary>
/// A compact Inception-v4-style network for small images (CIFAR-100, 32×32): Conv-BN-ReLU units everywhere, a stem that
/// halves 32 → 16, Inception-A blocks (16×16), Reduction-A (→ 8×8), Inception-B blocks, Reduction-B (→ 4×4),
/// Inception-C blocks, global average pooling and a dense classifier; SpatialDropout (0.3) after every block.
/// Filter counts are Inception-v4's times a width factor.
/// <list type="bullet">
/// <item>mini-inception: width ½, 2 × A, 2 × B, 2 × C — 5,304,788 parameters at 100 classes (768 features).</item>
/// <item>mini-inception-small: width ¼ with v4's full depth 4 × A, 7 × B, 3 × C — 2,597,260 parameters at 100 classes (384 features).</item>
/// </list>
/// Counts are PyTorch-style (BatchNorm γ/β only; Keras would also list the moving mean/variance as non-trainable).
/// </summary>
public sealed class MiniInception : SequentialClassifier
{
    private readonly double width;

    /// <summary>Builds the network with the given width factor and block counts.</summary>
    public MiniInception(ModelOptions options, double width, int blocksA, int blocksB, int blocksC, string name)
        : base(name, options.OutputProbabilities)
    {
        if (width <= 0) throw new ArgumentOutOfRangeException(nameof(width), width, "width factor must be positive");
        this.width = width;
        var p = options.Dropout ?? 0.3;

        var c = options.InputChannels;
        var stem = new Sequential();
        stem.Append(Cba(c, 32, 3));
        stem.Append(Cba(S(32), 32, 3));
        stem.Append(Cba(S(32), 64, 3));
        stem.Append(new ParallelConcat(new MaxPool2d(3, 2, 1), Cba(S(64), 96, 3, 2)));
        c = S(64) + S(96);
        stem.Append(new ParallelConcat(
            new Sequential(Cba(c, 64, 1), Cba(S(64), 96, 3)),
            new Sequential(Cba(c, 64, 1), Cba(S(64), 64, (1, 7)), Cba(S(64), 64, (7, 1)), Cba(S(64), 96, 3))));
        c = 2 * S(96);
        Append("stem", stem);

        for (var i = 1; i <= blocksA; i++)
        {
            Append($"inception_a{i}", new ParallelConcat(
                new Sequential(Pool(), Cba(c, 96, 1)),
                Cba(c, 96, 1),
                new Sequential(Cba(c, 64, 1), Cba(S(64), 96, 3)),
                new Sequential(Cba(c, 64, 1), Cba(S(64), 96, 3), Cba(S(96), 96, 3))));
            c = 4 * S(96);
            Append($"dropout_a{i}", new SpatialDropout(p));
        }

        Append("reduction_a", new ParallelConcat(
            new MaxPool2d(3, 2, 1),
            Cba(c, 384, 3, 2),
            new Sequential(Cba(c, 192, 1), Cba(S(192), 224, 3), Cba(S(224), 256, 3, 2))));
        c += S(384) + S(256);
        Append("dropout_reduction_a", new SpatialDropout(p));

        for (var i = 1; i <= blocksB; i++)
        {
            Append($"inception_b{i}", new ParallelConcat(
                new Sequential(Pool(), Cba(c, 128, 1)),
                Cba(c, 384, 1),
                new Sequential(Cba(c, 192, 1), Cba(S(192), 224, (1, 7)), Cba(S(224), 256, (7, 1))),
                new Sequential(Cba(c, 192, 1), Cba(S(192), 192, (1, 7)), Cba(S(192), 224, (7, 1)), Cba(S(224), 224, (1, 7)), Cba(S(224), 256, (7, 1)))));
            c = S(128) + S(384) + 2 * S(256);
            Append($"dropout_b{i}", new SpatialDropout(p));
        }

        Append("reduction_b", new ParallelConcat(
            new MaxPool2d(3, 2, 1),
            new Sequential(Cba(c, 192, 1), Cba(S(192), 192, 3, 2)),
            new Sequential(Cba(c, 256, 1), Cba(S(256), 256, (1, 7)), Cba(S(256), 320, (7, 1)), Cba(S(320), 320, 3, 2))));
        c += S(192) + S(320);
        Append("dropout_reduction_b", new SpatialDropout(p));

        for (var i = 1; i <= blocksC; i++)
        {
            Append($"inception_c{i}", new ParallelConcat(
                new Sequential(Pool(), Cba(c, 256, 1)),
                Cba(c, 256, 1),
                new Sequential(Cba(c, 384, 1), new ParallelConcat(Cba(S(384), 256, (1, 3)), Cba(S(384), 256, (3, 1)))),
                new Sequential(Cba(c, 384, 1), Cba(S(384), 448, (3, 1)), Cba(S(448), 512, (1, 3)),
                    new ParallelConcat(Cba(S(512), 256, (1, 3)), Cba(S(512), 256, (3, 1))))));
            c = 6 * S(256);
            Append($"dropout_c{i}", new SpatialDropout(p));
        }

        Append("pool", new GlobalAvgPool());
        AppendHead(c, options.NumClasses, "classifier");
    }

    /// <summary>mini-inception: half of Inception-v4's filters, 2/2/2 blocks.</summary>
    public static MiniInception Standard(ModelOptions options) => new(options, 0.5, 2, 2, 2, "mini_inception");

    /// <summary>mini-inception-small: a quarter of Inception-v4's filters with v4's 4/7/3 blocks.</summary>
    public static MiniInception Small(ModelOptions options) => new(options, 0.25, 4, 7, 3, "mini_inception_small");

    private int S(int v4Filters) => Math.Max(1, (int)Math.Round(v4Filters * width, MidpointRounding.AwayFromZero));

    // The v4 filter count of the output is scaled; inChannels is already an actual count.
    private ConvBnAct Cba(int inChannels, int v4Filters, Size2 kernel, int stride = 1) =>
        new(inChannels, S(v4Filters), kernel, stride);

    private static AvgPool2d Pool() => new(3, 1, 1, countIncludePad: false);
}
