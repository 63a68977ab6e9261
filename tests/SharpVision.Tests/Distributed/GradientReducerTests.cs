using SharpVision.Distributed;
using SharpVision.Engine;
using SharpVision.Engine.Distributed;

namespace SharpVision.Tests.Distributed;

/// <summary>
/// The native reducer on two in-process ranks: gradients all-reduced from autograd hooks while backward runs, no_sync
/// accumulation, unused parameters, fp16 buckets. Each rank's expected gradient is the mean of what both ranks' inputs
/// give on a private copy of the weights.
/// </summary>
[Collection(DistributedCollection.Name)]
public class GradientReducerTests
{
    // A two-layer net: loss = sum(relu(x·W1)·W2 ⊙ scale). The unused parameter comes first, so its bucket is the last.
    private static readonly long[] W1Shape = { 6, 5 }, W2Shape = { 5, 3 }, UnusedShape = { 4 };

    private static Tensor Input(int rank, int micro) =>
        Tensor.FromArray(Enumerable.Range(0, 24).Select(i => (float)Math.Sin(i * 0.7 + rank * 1.3 + micro * 0.4)).ToArray(), 4, 6);

    private static Tensor[] Weights()
    {
        var w1 = Tensor.FromArray(Enumerable.Range(0, 30).Select(i => (float)Math.Cos(i * 0.3)).ToArray(), W1Shape).RequiresGrad_();
        var w2 = Tensor.FromArray(Enumerable.Range(0, 15).Select(i => (float)Math.Sin(i * 0.5 + 1)).ToArray(), W2Shape).RequiresGrad_();
        var unused = Tensor.Full(UnusedShape, 0.5).RequiresGrad_();
        return new[] { unused, w1, w2 };
    }

    private static void Backward(Tensor[] w, Tensor x) => x.MatMul(w[1]).Relu().MatMul(w[2]).Pow(2L).Sum().Backward();

    /// <summary>The mean over both ranks of the summed gradients of <paramref name="micro"/> micro-batches, on a private copy.</summary>
    private static float[][] ExpectedMean(int micro)
    {
        var sums = new float[2][];
        foreach (var rank in new[] { 0, 1 })
        {
            var w = Weights();
            for (var m = 0; m < micro; m++) Backward(w, Input(rank, m));
            for (var k = 1; k <= 2; k++)
            {
                var g = w[k].Grad!.ToArray<float>();
                sums[k - 1] = sums[k - 1] is null ? g.Select(v => v / 2).ToArray() : sums[k - 1].Zip(g, (a, b) => a + b / 2).ToArray();
            }
        }
        return sums;
    }

    private static void AssertClose(float[] expected, float[] actual, double tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        var worst = expected.Zip(actual, (e, a) => Math.Abs(e - a) / Math.Max(1.0, Math.Abs(e))).Max();
        Assert.True(worst <= tolerance, $"{what}: worst relative difference {worst}");
    }

    [Fact]
    public void BucketsAreReducedDuringBackward_UnusedParameterAtFinish_GradientsAreTheMean()
    {
        var results = InProcessRanks.Run(2, group =>
        {
            using var scope = Torch.NewDisposeScope();
            var w = Weights();
            // 1-byte cap: one bucket per parameter, in reverse order [w2], [w1], [unused].
            using var reducer = new GradientReducer(w, bucketBytes: 1);
            reducer.Prepare(group);
            Backward(w, Input(group.Rank, 0));
            var overlapped = reducer.BucketsLaunchedInBackward;
            reducer.Finish(group);
            return (Sizes: reducer.BucketSizes, Overlapped: overlapped, G1: w[1].Grad!.ToArray<float>(), G2: w[2].Grad!.ToArray<float>(),
                Unused: w[0].Grad!.ToArray<float>());
        });
        var expected = ExpectedMean(1);
        foreach (var r in results)
        {
            Assert.Equal(new long[] { 60, 120, 16 }, r.Sizes);
            Assert.Equal(2, r.Overlapped); // w2 and w1 went out from the hooks; the unused one only at Finish
            AssertClose(expected[0], r.G1, 1e-6, "W1");
            AssertClose(expected[1], r.G2, 1e-6, "W2");
            Assert.All(r.Unused, v => Assert.Equal(0f, v));
        }
    }

    [Fact]
    public void NoSyncAccumulation_SynchronisesTheSumOfTheMicroBatches()
    {
        var results = InProcessRanks.Run(2, group =>
        {
            using var scope = Torch.NewDisposeScope();
            var w = Weights();
            using var sync = new GradientSynchronizer(group, w, bucketBytes: 64);
            Backward(w, Input(group.Rank, 0));        // no_sync: accumulates locally, hooks not armed
            sync.Prepare();
            Backward(w, Input(group.Rank, 1));
            sync.Synchronize();
            return (Overlapped: sync.BucketsOverlapped, G1: w[1].Grad!.ToArray<float>(), G2: w[2].Grad!.ToArray<float>());
        });
        var expected = ExpectedMean(2);
        foreach (var r in results)
        {
            Assert.True(r.Overlapped >= 1, $"{r.Overlapped} buckets overlapped with backward");
            AssertClose(expected[0], r.G1, 1e-6, "W1");
            AssertClose(expected[1], r.G2, 1e-6, "W2");
        }
    }

    [Fact]
    public void Fp16Compression_AgreesWithinHalfPrecision_AndIsTheSameOnEveryRank()
    {
        var results = InProcessRanks.Run(2, group =>
        {
            using var scope = Torch.NewDisposeScope();
            var w = Weights();
            using var sync = new GradientSynchronizer(group, w, bucketBytes: 64, compression: GradientCompression.Fp16);
            sync.Prepare();
            Backward(w, Input(group.Rank, 0));
            sync.Synchronize();
            return (G1: w[1].Grad!.ToArray<float>(), G2: w[2].Grad!.ToArray<float>());
        });
        var expected = ExpectedMean(1);
        AssertClose(expected[0], results[0].G1, 2e-3, "W1 (fp16)");
        AssertClose(expected[1], results[0].G2, 2e-3, "W2 (fp16)");
        Assert.Equal(results[0].G1, results[1].G1);
        Assert.Equal(results[0].G2, results[1].G2);
    }

    [Fact]
    public void FirstBucket_HasItsOwnSmallerCap_AsInDdp()
    {
        using var scope = Torch.NewDisposeScope();
        var w = Weights(); // reverse order: w2 (60 B), w1 (120 B), unused (16 B)
        using var reducer = new GradientReducer(w, bucketBytes: 1000, firstBucketBytes: 64);
        Assert.Equal(new long[] { 60, 136 }, reducer.BucketSizes);
        using var defaults = new GradientReducer(w, bucketBytes: GradientSynchronizer.DefaultBucketBytes);
        Assert.Equal(new long[] { 196 }, defaults.BucketSizes); // everything fits the 1 MiB first bucket
    }

    [Fact]
    public void Construction_RejectsFrozenAndRepeatedParameters_AndBadSizes()
    {
        using var scope = Torch.NewDisposeScope();
        var p = Tensor.Ones(new long[] { 2 }).RequiresGrad_();
        var frozen = Tensor.Ones(new long[] { 2 });
        Assert.Contains("parameter 1 is not a trainable leaf", Assert.ThrowsAny<TorchException>(() => new GradientReducer(new[] { p, frozen }, 64)).Message);
        Assert.Contains("parameter 1 is the same tensor as parameter 0", Assert.ThrowsAny<TorchException>(() => new GradientReducer(new[] { p, p }, 64)).Message);
        Assert.Contains("bucket size must be positive", Assert.ThrowsAny<TorchException>(() => new GradientReducer(new[] { p }, 0)).Message);
        Assert.Contains("at least one trainable parameter", Assert.ThrowsAny<TorchException>(() => new GradientReducer(Array.Empty<Tensor>(), 64)).Message);
    }

    [Theory]
    [InlineData(0, 16, 1, "AccumulationSteps must be at least 1")]
    [InlineData(3, 16, 1, "AccumulationSteps 3: the batch of 16 images per process does not split into 3 equal micro-batches (use a BatchSize divisible by 3)")]
    [InlineData(4, 12, 2, "AccumulationSteps 4: the batch of 6 images per process does not split into 4 equal micro-batches (use a BatchSize divisible by 8)")]
    public void Accumulate_BadValues_AreOneLineErrors(int k, int batch, int world, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => DataParallelOptions.Validate(k, GradientCompression.None, batch, world, fineTune: false));
        Assert.StartsWith(message.Split(" (use")[0], e.Message);
        Assert.Contains(message, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Accumulate_WithFineTune_AndUnknownCompression_AreRefused()
    {
        DataParallelOptions.Validate(4, GradientCompression.Fp16, 16, 2, fineTune: false); // 16 = 2 ranks × 4 micro-batches × 2
        Assert.Contains("AccumulationSteps does not apply to FineTune", Assert.Throws<ArgumentException>(() => DataParallelOptions.Validate(2, GradientCompression.None, 16, 1, fineTune: true)).Message);
        Assert.Equal(GradientCompression.Fp16, DataParallelOptions.ParseCompression(" FP16 "));
        Assert.Equal(GradientCompression.None, DataParallelOptions.ParseCompression("none"));
        Assert.StartsWith("GradientCompression must be one of none, fp16, got 'zip'", Assert.Throws<ArgumentException>(() => DataParallelOptions.ParseCompression("zip")).Message);
    }
}
