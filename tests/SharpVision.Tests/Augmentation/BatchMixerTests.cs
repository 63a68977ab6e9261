using SharpVision.Augmentation;
using SharpVision.Engine;

namespace SharpVision.Tests.Augmentation;

public class BatchMixerTests
{
    private const int N = 8;

    // Image i is the constant (i + 1)/10 and has label i, so every mixed pixel tells which sources it came from.
    private static (Tensor Images, Tensor Labels) ConstantBatch()
    {
        var values = new float[N * 3 * 10 * 12];
        for (var i = 0; i < values.Length; i++) values[i] = (i / (3 * 10 * 12) + 1) / 10f;
        return (Tensor.FromArray(values, N, 3, 10, 12), Tensor.Arange(N));
    }

    private static float[] SourceValues() => Enumerable.Range(0, N).Select(i => (i + 1) / 10f).ToArray();

    [Fact]
    public void DisabledMixerCopiesImagesAndReturnsOneHotTargets()
    {
        using var scope = Torch.NewDisposeScope();
        var (images, labels) = ConstantBatch();
        var mixer = new BatchMixer(AugmentationSpec.CaseStudy);
        Assert.False(mixer.Enabled);
        using var g = new Generator(1);
        var (mixed, targets) = mixer.Apply(images, labels, N, g);
        Assert.True(mixed.Equal(images));
        Assert.True(targets.Equal(Tensor.Eye(N)));
    }

    [Fact]
    public void MixUpTargetsSumToOneAndMatchTheBlend()
    {
        using var scope = Torch.NewDisposeScope();
        var (images, labels) = ConstantBatch();
        var mixer = new BatchMixer(AugmentationSpec.Parse("mixup=0.4"));
        Assert.True(mixer.Enabled);
        using var g = new Generator(2);
        var (mixed, targets) = mixer.Apply(images, labels, N, g);
        Assert.Equal(new long[] { N, N }, targets.Shape);
        var t = targets.ToArray<float>();
        var means = mixed.Mean(new long[] { 1, 2, 3 }).ToArray<float>();
        var pixels = mixed.Reshape(N, -1);
        var v = SourceValues();
        double? lambda = null;
        for (var i = 0; i < N; i++)
        {
            var row = t.AsSpan(i * N, N).ToArray();
            Assert.Equal(1.0, row.Sum(), 5);
            Assert.True(row.Count(x => x > 0) <= 2);
            // MixUp blends whole images: every pixel is the target-weighted mix of the sources.
            var expected = Enumerable.Range(0, N).Sum(c => row[c] * v[c]);
            Assert.Equal(expected, means[i], 4);
            Assert.True(pixels.Select(0, i).AllClose(Tensor.Full(new long[] { 360 }, expected), rtol: 0, atol: 1e-5));
            if (row[i] < 1) // mixed with another image: the share of its own image is the batch's λ
            {
                lambda ??= row[i];
                Assert.Equal(lambda.Value, row[i], 5);
            }
        }
        Assert.NotNull(lambda);
    }

    [Fact]
    public void CutMixTargetsEqualTheShareOfPixelsFromEachImage()
    {
        using var scope = Torch.NewDisposeScope();
        var (images, labels) = ConstantBatch();
        var mixer = new BatchMixer(AugmentationSpec.Parse("cutmix=1"));
        var v = SourceValues();
        var sawACut = false;
        for (ulong seed = 0; seed < 4; seed++)
        {
            using var g = new Generator(seed);
            var (mixed, targets) = mixer.Apply(images, labels, N, g);
            var t = targets.ToArray<float>();
            var px = mixed.ToArray<float>();
            const int per = 3 * 10 * 12;
            for (var i = 0; i < N; i++)
            {
                var row = t.AsSpan(i * N, N).ToArray();
                Assert.Equal(1.0, row.Sum(), 5);
                // Pixels are copied, never blended: count how many come from each source image.
                var counts = new double[N];
                for (var k = 0; k < per; k++)
                {
                    var source = Array.FindIndex(v, s => Math.Abs(s - px[i * per + k]) < 1e-6);
                    Assert.True(source >= 0, "a CutMix pixel must be copied from one of the images");
                    counts[source]++;
                }
                for (var c = 0; c < N; c++) Assert.Equal(counts[c] / per, row[c], 5);
                if (row[i] < 1) sawACut = true;
            }
        }
        Assert.True(sawACut);
    }

    [Fact]
    public void MixingIsDeterministicGivenTheGeneratorState()
    {
        using var scope = Torch.NewDisposeScope();
        var (images, labels) = ConstantBatch();
        var mixer = new BatchMixer(0.2, 1.0);
        using var g1 = new Generator(5);
        using var g2 = new Generator(5);
        var a = mixer.Apply(images, labels, N, g1);
        var b = mixer.Apply(images, labels, N, g2);
        Assert.True(a.Images.Equal(b.Images));
        Assert.True(a.SoftTargets.Equal(b.SoftTargets));
    }

    [Fact]
    public void SoftTargetsWorkWithCrossEntropy()
    {
        using var scope = Torch.NewDisposeScope();
        var (images, labels) = ConstantBatch();
        using var g = new Generator(6);
        var (_, targets) = new BatchMixer(0.2, 0).Apply(images, labels, N, g);
        var logits = Tensor.Zeros(new long[] { N, N });
        // Uniform logits: the loss is log(N) for any probability targets.
        Assert.Equal(Math.Log(N), Functional.CrossEntropy(logits, targets).Item(), 4);
    }

    [Fact]
    public void RejectsBadLabels()
    {
        using var scope = Torch.NewDisposeScope();
        var (images, _) = ConstantBatch();
        var mixer = new BatchMixer(0.2, 0);
        using var g = new Generator(1);
        var e = Assert.Throws<ArgumentException>(() => mixer.Apply(images, Tensor.Full(new long[] { N }, 9, DType.Int64), N, g));
        Assert.Contains("[0, 8)", e.Message);
        Assert.Throws<ArgumentException>(() => mixer.Apply(images, Tensor.Zeros(new long[] { N }), N, g));
        Assert.Throws<ArgumentException>(() => mixer.Apply(images, Tensor.Zeros(new long[] { 3 }, DType.Int64), N, g));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatchMixer(-1, 0));
    }

    [Fact]
    public void BetaSamplerHasTheRightMoments()
    {
        using var g = new Generator(123);
        var random = new RandomStream(g);
        foreach (var alpha in new[] { 0.2, 1.0, 4.0 })
        {
            var samples = Enumerable.Range(0, 4000).Select(_ => random.Beta(alpha, alpha)).ToArray();
            Assert.All(samples, s => Assert.InRange(s, 0, 1));
            var mean = samples.Average();
            var variance = samples.Select(s => (s - mean) * (s - mean)).Average();
            var expectedVariance = 1 / (4 * (2 * alpha + 1)); // α²/((2α)²(2α+1))
            Assert.InRange(mean, 0.47, 0.53);
            Assert.InRange(variance, expectedVariance * 0.9, expectedVariance * 1.1);
        }
    }
}
