using SharpVision.Distributed;
using SharpVision.Engine;

namespace SharpVision.Tests.Distributed;

[Collection(DistributedCollection.Name)]
public class GradientSynchronizerTests
{
    [Fact]
    public void TwoRanks_GradientsBecomeTheirMean_InSeveralBuckets_FrozenSkipped()
    {
        var results = InProcessRanks.Run(2, group =>
        {
            var r = group.Rank;
            // Parameters whose values differ per rank until the broadcast; grads set to rank-dependent values.
            var w1 = Tensor.Full(new long[] { 4, 3 }, 1.0 + r).RequiresGrad_().DetachFromDisposeScope();
            var w2 = Tensor.Full(new long[] { 5 }, 2.0 + r).RequiresGrad_().DetachFromDisposeScope();
            var frozen = Tensor.Full(new long[] { 2 }, 3.0 + r).DetachFromDisposeScope();
            var unused = Tensor.Full(new long[] { 3 }, 4.0 + r).RequiresGrad_().DetachFromDisposeScope();
            var w3 = Tensor.Full(new long[] { 2, 2 }, 5.0 + r, DType.Float64).RequiresGrad_().DetachFromDisposeScope();
            var buffer = Tensor.Full(new long[] { 3 }, 6.0 + r).DetachFromDisposeScope();
            var parameters = new[] { w1, w2, frozen, unused, w3 };
            try
            {
                // 48-byte buckets in reverse order: [unused + w2] closes when w1 comes; then the open [w3 (float64)], [w1].
                using var sync = new GradientSynchronizer(group, parameters, new[] { buffer }, bucketBytes: 48);
                Assert.Equal(new long[] { 32, 32, 48 }, sync.BucketSizes);
                sync.BroadcastParameters();
                using (var scope = Torch.NewDisposeScope())
                {
                    var g1 = Tensor.Arange(12, DType.Float32).Reshape(4, 3).Mul(r + 1);
                    w1.SetGrad(g1);
                    w2.SetGrad(Tensor.Full(new long[] { 5 }, r == 0 ? 1.0 : 3.0));
                    w3.SetGrad(Tensor.Full(new long[] { 2, 2 }, r == 0 ? -2.0 : 4.0, DType.Float64));
                }
                sync.Synchronize();
                using var s = Torch.NewDisposeScope();
                return (W1: w1.ToArray<float>(), G1: w1.Grad!.ToArray<float>(), G2: w2.Grad!.ToArray<float>(), G3: w3.Grad!.ToArray<double>(),
                    Unused: unused.Grad!.ToArray<float>(), FrozenGrad: frozen.Grad is null, Frozen: frozen.ToArray<float>(), Buffer: buffer.ToArray<float>());
            }
            finally
            {
                foreach (var t in parameters) t.Dispose();
                buffer.Dispose();
            }
        });

        foreach (var x in results)
        {
            Assert.All(x.W1, v => Assert.Equal(1f, v));                               // rank 0's weights everywhere
            Assert.Equal(Enumerable.Range(0, 12).Select(i => i * 1.5f), x.G1);          // (1·g + 2·g) / 2
            Assert.All(x.G2, v => Assert.Equal(2f, v));
            Assert.All(x.G3, v => Assert.Equal(1.0, v));
            Assert.All(x.Unused, v => Assert.Equal(0f, v));                           // no grad anywhere → zeros
            Assert.True(x.FrozenGrad);
            Assert.All(x.Frozen, v => Assert.Equal(3f, v));                           // broadcast covers frozen ones too
            Assert.All(x.Buffer, v => Assert.Equal(6f, v));
        }
    }

    [Fact]
    public void Buckets_AreBoundedBySize_AndSplitByDType()
    {
        using var scope = Torch.NewDisposeScope();
        var ps = new[]
        {
            Tensor.Zeros(new long[] { 4 }).RequiresGrad_(),             // 16 B
            Tensor.Zeros(new long[] { 4 }).RequiresGrad_(),             // 16 B
            Tensor.Zeros(new long[] { 100 }).RequiresGrad_(),           // 400 B, larger than a bucket: alone
            Tensor.Zeros(new long[] { 2 }, DType.Float64).RequiresGrad_(), // 16 B, other dtype
            Tensor.Zeros(new long[] { 8 }),                                  // frozen: skipped
            Tensor.Zeros(new long[] { 2 }).RequiresGrad_(),             // 8 B
        };
        using var sync = new GradientSynchronizer(null, ps, bucketBytes: 40);
        Assert.False(sync.IsActive);
        // Reverse order: [p5] closes when p2 comes, [p2] (larger than a bucket) when p1 comes; then the open ones:
        // [p3] (float64), [p1 + p0].
        Assert.Equal(new long[] { 8, 400, 16, 32 }, sync.BucketSizes);
    }

    [Fact]
    public void WithoutAGroup_EverythingIsANoOp()
    {
        using var scope = Torch.NewDisposeScope();
        var p = Tensor.Ones(new long[] { 3 }).RequiresGrad_();
        p.SetGrad(Tensor.Full(new long[] { 3 }, 2.0));
        using var sync = new GradientSynchronizer(null, new[] { p });
        sync.BroadcastParameters();
        sync.Prepare();
        sync.Synchronize();
        Assert.Equal(new float[] { 2, 2, 2 }, p.Grad!.ToArray<float>());
    }

    [Fact]
    public void NonLeafParameters_AreRejected()
    {
        using var scope = Torch.NewDisposeScope();
        var leaf = Tensor.Ones(new long[] { 2 }).RequiresGrad_();
        var derived = leaf.Mul(2);
        var e = Assert.Throws<ArgumentException>(() => new GradientSynchronizer(null, new[] { leaf, derived }));
        Assert.Contains("parameter 1", e.Message);
    }

    [Fact]
    public void MetricsReducer_SumsTotalsOverRanks()
    {
        var results = InProcessRanks.Run(2, group =>
            new MetricsReducer(group).Reduce(new EpochTotals().AddBatch(group.Rank == 0 ? 1.0 : 3.0, group.Rank == 0 ? 3 : 5, 10)));
        foreach (var t in results)
        {
            Assert.Equal(new EpochTotals(40, 8, 20), t);
            Assert.Equal(2.0, t.MeanLoss, 12);
            Assert.Equal(0.4, t.Accuracy, 12);
        }
        Assert.Equal(new[] { 1.5, 2 }, new MetricsReducer(null).Sum(1.5, 2));
    }
}
