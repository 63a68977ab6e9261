using SharpVision.Distributed;

namespace SharpVision.Tests.Distributed;

public class DistributedSamplerTests
{
    [Theory]
    [InlineData(8, 2)]
    [InlineData(10, 3)]
    [InlineData(3, 4)]
    [InlineData(1, 1)]
    public void ShardsOfABatch_AreDisjointAndComplete(int batchSize, int worldSize)
    {
        var batch = Enumerable.Range(100, batchSize).ToArray();
        var shards = Enumerable.Range(0, worldSize).Select(r => DistributedSampler.ShardOfBatch(batch, r, worldSize)).ToArray();

        var all = shards.SelectMany(s => s).ToList();
        Assert.Equal(batchSize, all.Count);
        Assert.Equal(batch.OrderBy(x => x), all.OrderBy(x => x));
        Assert.True(shards.Max(s => s.Length) - shards.Min(s => s.Length) <= 1);
        Assert.Equal(new[] { 100, 100 + worldSize }.Where(x => x < 100 + batchSize), shards[0].Take(2));
    }

    [Theory]
    [InlineData(64, 2)]
    [InlineData(60, 4)]
    [InlineData(7, 3)]
    public void EpochShards_CoverTheDataset_AndAreDisjointWhenEven(int size, int worldSize)
    {
        var shards = Enumerable.Range(0, worldSize)
            .Select(r => new DistributedSampler(size, r, worldSize, shuffle: true, seed: 42).Indices(epoch: 3)).ToArray();

        Assert.All(shards, s => Assert.Equal((size + worldSize - 1) / worldSize, s.Length));
        var all = shards.SelectMany(s => s).ToList();
        Assert.Equal(Enumerable.Range(0, size), all.Distinct().OrderBy(x => x));
        if (size % worldSize == 0) Assert.Equal(size, all.Count);
        else Assert.Equal(worldSize - size % worldSize, all.Count - size); // padding repeats only what is needed
    }

    [Fact]
    public void DropLast_TruncatesToAMultipleOfTheWorldSize_WithoutRepeats()
    {
        var shards = Enumerable.Range(0, 3).Select(r => new DistributedSampler(10, r, 3, seed: 5, dropLast: true).Indices(0)).ToArray();
        var all = shards.SelectMany(s => s).ToList();
        Assert.All(shards, s => Assert.Equal(3, s.Length));
        Assert.Equal(9, all.Distinct().Count());
    }

    [Fact]
    public void LocalBatchesOfAllRanks_FormTheGlobalBatchOfOneProcess()
    {
        const int size = 48, world = 2, local = 4;
        var single = new DistributedSampler(size, 0, 1, seed: 9).Indices(1);
        var ranks = Enumerable.Range(0, world).Select(r => new DistributedSampler(size, r, world, seed: 9).Indices(1)).ToArray();

        for (var k = 0; k < size / (world * local); k++)
        {
            var global = single.Skip(k * world * local).Take(world * local).OrderBy(x => x);
            var union = ranks.SelectMany(s => s.Skip(k * local).Take(local)).OrderBy(x => x);
            Assert.Equal(global, union);
        }
    }

    [Fact]
    public void Order_IsSeededPerEpoch_AndIdenticalAcrossInstances()
    {
        var a = DistributedSampler.EpochOrder(100, 0, shuffle: true, seed: 1);
        Assert.Equal(a, DistributedSampler.EpochOrder(100, 0, shuffle: true, seed: 1));
        Assert.NotEqual(a, DistributedSampler.EpochOrder(100, 1, shuffle: true, seed: 1));
        Assert.NotEqual(a, DistributedSampler.EpochOrder(100, 0, shuffle: true, seed: 2));
        Assert.Equal(Enumerable.Range(0, 100), a.OrderBy(x => x));
        Assert.Equal(Enumerable.Range(0, 100), DistributedSampler.EpochOrder(100, 5, shuffle: false, seed: 1));
    }

    [Fact]
    public void InvalidArguments_AreRejectedWithTheirName()
    {
        Assert.Equal("rank", Assert.Throws<ArgumentOutOfRangeException>(() => new DistributedSampler(10, 2, 2)).ParamName);
        Assert.Equal("datasetSize", Assert.Throws<ArgumentOutOfRangeException>(() => new DistributedSampler(0, 0, 1)).ParamName);
        Assert.Equal("worldSize", Assert.Throws<ArgumentOutOfRangeException>(() => DistributedSampler.ShardOfBatch(new[] { 1 }, 0, 0)).ParamName);
    }
}
