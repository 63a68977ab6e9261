using SharpVision.Data;

namespace SharpVision.Tests.Data;

public class DataLoaderTests
{
    private static readonly ImagePreprocessor Same = new(SyntheticDataset.Side, SyntheticDataset.Side);

    private static List<(int[] Indices, long[] Labels, byte[] Pixels, int Index)> Drain(DataLoader loader)
    {
        var result = new List<(int[], long[], byte[], int)>();
        foreach (var batch in loader)
        {
            using (batch)
            {
                result.Add((batch.Indices, batch.Labels.ToArray<long>(), batch.Inputs.ToBytes(), batch.Index));
            }
        }
        return result;
    }

    [Fact]
    public void Batches_HaveTheRightShapeLabelsAndPixels()
    {
        var ds = SyntheticDataset.Balanced(10, 3);
        var loader = new DataLoader(ds, Same, new DataLoaderOptions { BatchSize = 8, Seed = 1 });
        var batches = Drain(loader);
        Assert.Equal(4, batches.Count);
        Assert.Equal(new[] { 8, 8, 8, 6 }, batches.Select(b => b.Indices.Length));
        foreach (var (indices, labels, pixels, _) in batches)
        {
            for (var n = 0; n < indices.Length; n++)
            {
                Assert.Equal(ds.Label(indices[n]), labels[n]);
                Assert.Equal(indices[n], SyntheticDataset.IndexOf(pixels, n));
            }
        }
        Assert.Equal(Enumerable.Range(0, 30), batches.SelectMany(b => b.Indices).Order());
    }

    [Fact]
    public void Order_IsDeterministicPerSeedAndEpoch_AndChangesBetweenEpochs()
    {
        var ds = SyntheticDataset.Balanced(20, 4);
        DataLoader Make(long seed) => new(ds, Same, new DataLoaderOptions { BatchSize = 16, Seed = seed, Workers = 4 });
        var a = Make(7);
        var b = Make(7);
        Assert.Equal(Drain(a).SelectMany(x => x.Pixels), Drain(b).SelectMany(x => x.Pixels));
        var epoch0 = a.EpochIndices();
        a.SetEpoch(1);
        Assert.NotEqual(epoch0, a.EpochIndices());
        Assert.NotEqual(epoch0, Make(8).EpochIndices());
        Assert.Equal(Enumerable.Range(0, 80), a.EpochIndices().Order());
        var unshuffled = new DataLoader(ds, Same, new DataLoaderOptions { Shuffle = false });
        Assert.Equal(Enumerable.Range(0, 80), unshuffled.EpochIndices());
    }

    [Fact]
    public void PrefetchAndInlineModes_GiveTheSameBatches()
    {
        var ds = SyntheticDataset.Balanced(13, 3);
        var inline = Drain(new DataLoader(ds, Same, new DataLoaderOptions { BatchSize = 5, Seed = 3, Prefetch = 0, Workers = 1 }));
        var prefetched = Drain(new DataLoader(ds, Same, new DataLoaderOptions { BatchSize = 5, Seed = 3, Prefetch = 3, Workers = 3 }));
        Assert.Equal(inline.Select(b => b.Pixels), prefetched.Select(b => b.Pixels));
    }

    [Fact]
    public void DropLast_LeavesOutThePartialBatch()
    {
        var ds = SyntheticDataset.Balanced(10, 3);
        var loader = new DataLoader(ds, Same, new DataLoaderOptions { BatchSize = 8, DropLast = true });
        Assert.Equal(3, loader.BatchesPerEpoch);
        Assert.All(Drain(loader), b => Assert.Equal(8, b.Indices.Length));
    }

    [Theory]
    [InlineData(2, false)]
    [InlineData(3, false)]
    [InlineData(3, true)]
    public void Shards_AreDisjointAndCoverTheEpoch(int world, bool even)
    {
        var ds = SyntheticDataset.Balanced(25, 4); // 100 images
        var loader = new DataLoader(ds, Same, new DataLoaderOptions { BatchSize = 8, Seed = 11 });
        loader.SetEpoch(2);
        var shards = Enumerable.Range(0, world).Select(r => { var s = loader.Shard(r, world, even); s.SetEpoch(2); return s; }).ToArray();
        var seen = shards.SelectMany(s => Drain(s).SelectMany(b => b.Indices)).ToList();
        Assert.Equal(seen.Count, seen.Distinct().Count());
        if (even)
        {
            Assert.Equal(100 - 100 % world, seen.Count);
            Assert.Single(shards.Select(s => s.SamplesPerEpoch).Distinct());
        }
        else
        {
            Assert.Equal(Enumerable.Range(0, 100), seen.Order());
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => loader.Shard(world, world));
    }

    [Fact]
    public void StartBatch_ResumesWithTheExactOrder()
    {
        var ds = SyntheticDataset.Balanced(12, 3);
        var options = new DataLoaderOptions { BatchSize = 5, Seed = 5 };
        var full = new DataLoader(ds, Same, options);
        full.SetEpoch(3);
        var all = Drain(full);
        var resumed = new DataLoader(ds, Same, options);
        resumed.SetEpoch(3);
        resumed.StartBatch = 4;
        var tail = Drain(resumed);
        Assert.Equal(all.Skip(4).Select(b => b.Indices), tail.Select(b => b.Indices));
        Assert.Equal(4, tail[0].Index);
        Assert.Equal(0, resumed.StartBatch); // one-shot
        Assert.Equal(all.Count, Drain(resumed).Count);
        var viaGetBatches = resumed.GetBatches(3, 4).Select(b => { using (b) return b.Indices; }).ToList();
        Assert.Equal(tail.Select(b => b.Indices), viaGetBatches);
    }

    [Fact]
    public void BalancedSampling_EvensOutClasses()
    {
        var labels = Enumerable.Repeat(0, 900).Concat(Enumerable.Repeat(1, 100)).ToArray();
        var ds = new SyntheticDataset(labels, 2);
        var loader = new DataLoader(ds, Same, new DataLoaderOptions { BatchSize = 100, BalancedSampling = true, Seed = 1 });
        var order = loader.EpochIndices();
        Assert.Equal(1000, order.Length);
        var minority = order.Count(i => labels[i] == 1);
        Assert.InRange(minority, 430, 570);
        Assert.Equal(order, new DataLoader(ds, Same, new DataLoaderOptions { BalancedSampling = true, Seed = 1 }).EpochIndices());
    }

    [Fact]
    public void BrokenFiles_AreDroppedFromTheirBatchAndReported()
    {
        var ds = new SyntheticDataset(Enumerable.Range(0, 20).Select(i => i % 2).ToArray(), 2, new HashSet<int> { 3, 17 });
        var loader = new DataLoader(ds, Same, new DataLoaderOptions { BatchSize = 10, Shuffle = false });
        var batches = Drain(loader);
        Assert.Equal(new[] { 9, 9 }, batches.Select(b => b.Indices.Length));
        Assert.DoesNotContain(3, batches.SelectMany(b => b.Indices));
        for (var n = 0; n < batches[0].Indices.Length; n++) Assert.Equal(batches[0].Indices[n], SyntheticDataset.IndexOf(batches[0].Pixels, n));
        Assert.Equal(new[] { "synthetic:3", "synthetic:17" }, ds.Skipped.Files.Select(f => f.Path));
        Assert.All(ds.Skipped.Files, f => Assert.Equal(SkipStage.Load, f.Stage));
        Drain(loader); // a second epoch does not report them twice
        Assert.Equal(2, ds.Skipped.Count);
    }

    [Fact]
    public void AllBrokenBatch_IsNotYielded()
    {
        var ds = new SyntheticDataset(new[] { 0, 1, 0, 1 }, 2, new HashSet<int> { 0, 1 });
        var batches = Drain(new DataLoader(ds, Same, new DataLoaderOptions { BatchSize = 2, Shuffle = false }));
        Assert.Single(batches);
        Assert.Equal(1, batches[0].Index);
    }

    [Fact]
    public void Cache_GivesTheSameBytes()
    {
        var ds = SyntheticDataset.Balanced(8, 2);
        var loader = new DataLoader(ds, Same, new DataLoaderOptions { BatchSize = 4, CacheImages = true, Seed = 2 });
        var first = Drain(loader);
        var second = Drain(loader);
        Assert.Equal(first.Select(b => b.Pixels), second.Select(b => b.Pixels));
    }

    [Fact]
    public void EarlyBreak_StopsTheProducerCleanly()
    {
        var ds = SyntheticDataset.Balanced(100, 2);
        var loader = new DataLoader(ds, Same, new DataLoaderOptions { BatchSize = 4, Prefetch = 2 });
        foreach (var batch in loader)
        {
            batch.Dispose();
            break;
        }
        Assert.Equal(50, Drain(loader).Count);
    }
}
