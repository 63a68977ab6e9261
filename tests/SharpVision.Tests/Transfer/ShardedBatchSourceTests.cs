using SharpVision.Data;
using SharpVision.Engine;
using SharpVision.Transfer;

namespace SharpVision.Tests.Transfer;

/// <summary>
/// The fine-tuning head phase's per-rank batches follow data parallelism's one sharding rule: of each global batch,
/// rank r gets positions r, r + W, …, with its rows, labels and dataset indices kept together.
/// </summary>
public class ShardedBatchSourceTests
{
    /// <summary>Two global batches of 5 and 3 rows: row i holds the value 10·i, label i and dataset index 100 + i.</summary>
    private sealed class TwoBatches : IBatchSource
    {
        public int Count => 8;
        public int BatchesPerEpoch => 2;
        public IReadOnlyList<string> ClassNames => ["a", "b"];

        public IEnumerable<LabeledBatch> GetBatches(int epoch, int startBatch = 0)
        {
            foreach (var (from, n) in new[] { (0, 5), (5, 3) }.Skip(startBatch))
            {
                var rows = Enumerable.Range(from, n).ToArray();
                yield return new LabeledBatch(Tensor.FromArray(rows.Select(i => 10f * i).ToArray(), n, 1),
                    Tensor.FromArray(rows.Select(i => (long)i).ToArray()), rows.Select(i => 100 + i).ToArray());
            }
        }
    }

    [Fact]
    public void EachRankGetsItsStridedShareOfEveryGlobalBatch_AndTheSharesCoverIt()
    {
        var seen = new List<int>();
        for (var rank = 0; rank < 2; rank++)
        {
            var source = new ShardedBatchSource(new TwoBatches(), rank, worldSize: 2);
            var batches = source.GetBatches(0).ToList();
            try
            {
                var expected = new[] { Sharding.Shard(Enumerable.Range(0, 5).ToArray(), rank, 2), Sharding.Shard(Enumerable.Range(5, 3).ToArray(), rank, 2) };
                Assert.Equal(2, batches.Count);
                for (var b = 0; b < 2; b++)
                {
                    Assert.Equal(expected[b].Select(i => 100 + i), batches[b].Indices);
                    Assert.Equal(expected[b].Select(i => (long)i), batches[b].Labels.ToArray<long>());
                    Assert.Equal(expected[b].Select(i => 10f * i), batches[b].Inputs.ToArray<float>());
                    seen.AddRange(batches[b].Indices);
                }
            }
            finally
            {
                foreach (var b in batches) b.Dispose();
            }
        }
        Assert.Equal(Enumerable.Range(100, 8), seen.Order());
    }

    [Fact]
    public void ABadRankIsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ShardedBatchSource(new TwoBatches(), rank: 2, worldSize: 2));
}
