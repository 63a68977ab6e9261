using SharpVision.Data;

namespace SharpVision.Distributed;

/// <summary>
/// Splits a dataset between the ranks of a data-parallel job, like torch.utils.data.DistributedSampler: every epoch one
/// permutation (seeded by seed and epoch, identical on every rank), padded by repetition to a multiple of the world size
/// (or truncated with <c>dropLast</c>), of which rank r takes positions r, r + W, r + 2W, …
/// </summary>
/// <remarks>
/// Because ranks take interleaved positions, the k-th local batch of size B on each rank together form positions
/// [kWB, (k+1)WB) of the permutation: the global batch of size W×B that a single process would have taken. The shards of
/// an epoch are disjoint (apart from the padding) and together cover the dataset.
/// </remarks>
public sealed class DistributedSampler
{
    /// <summary>Creates the sampler for one rank.</summary>
    /// <param name="datasetSize">Number of samples (≥ 1).</param>
    /// <param name="rank">This rank, 0 ≤ rank &lt; worldSize.</param>
    /// <param name="worldSize">Number of ranks (≥ 1).</param>
    /// <param name="shuffle">Permute the samples each epoch; otherwise keep the dataset order.</param>
    /// <param name="seed">Seed of the permutation; must be the same on every rank.</param>
    /// <param name="dropLast">Drop the tail that does not divide evenly instead of padding with repeated samples.</param>
    public DistributedSampler(int datasetSize, int rank, int worldSize, bool shuffle = true, ulong seed = 0, bool dropLast = false)
    {
        if (datasetSize < 1) throw new ArgumentOutOfRangeException(nameof(datasetSize), datasetSize, "the dataset must hold at least one sample");
        if (worldSize < 1) throw new ArgumentOutOfRangeException(nameof(worldSize), worldSize, "world size must be at least 1");
        if (rank < 0 || rank >= worldSize) throw new ArgumentOutOfRangeException(nameof(rank), rank, $"rank must be in [0, {worldSize})");
        if (dropLast && datasetSize < worldSize)
            throw new ArgumentException($"dropLast with {datasetSize} samples and {worldSize} ranks leaves nothing to train on", nameof(dropLast));
        DatasetSize = datasetSize;
        Rank = rank;
        WorldSize = worldSize;
        Shuffle = shuffle;
        Seed = seed;
        DropLast = dropLast;
    }

    /// <summary>Number of samples in the dataset.</summary>
    public int DatasetSize { get; }

    /// <summary>This rank.</summary>
    public int Rank { get; }

    /// <summary>Number of ranks.</summary>
    public int WorldSize { get; }

    /// <summary>Whether each epoch is permuted.</summary>
    public bool Shuffle { get; }

    /// <summary>Seed of the permutation.</summary>
    public ulong Seed { get; }

    /// <summary>Whether the uneven tail is dropped instead of padded.</summary>
    public bool DropLast { get; }

    /// <summary>Number of samples each rank gets per epoch (the same on every rank).</summary>
    public int SamplesPerRank => DropLast ? DatasetSize / WorldSize : (DatasetSize + WorldSize - 1) / WorldSize;

    /// <summary>This rank's sample indices for <paramref name="epoch"/>, in training order.</summary>
    public int[] Indices(int epoch) =>
        Sharding.Shard(EpochOrder(DatasetSize, epoch, Shuffle, Seed), Rank, WorldSize, DropLast ? ShardSize.Even : ShardSize.Padded);

    /// <summary>
    /// The dataset order of <paramref name="epoch"/> shared by all ranks: a Fisher–Yates shuffle driven by SplitMix64 of
    /// (seed, epoch), which is the same on every machine and .NET version.
    /// </summary>
    public static int[] EpochOrder(int datasetSize, int epoch, bool shuffle, ulong seed)
    {
        var order = new int[datasetSize];
        for (var i = 0; i < order.Length; i++) order[i] = i;
        if (!shuffle) return order;
        var state = seed ^ (0x9E3779B97F4A7C15UL * (ulong)(epoch + 1));
        for (var i = order.Length - 1; i > 0; i--)
        {
            var j = (int)(NextRandom(ref state) % (ulong)(i + 1));
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }

    /// <summary>
    /// Rank <paramref name="rank"/>'s share of one global batch: elements rank, rank + W, … The shares of all ranks are
    /// disjoint and together are the whole batch; their sizes differ by at most one.
    /// </summary>
    public static T[] ShardOfBatch<T>(IReadOnlyList<T> globalBatch, int rank, int worldSize) =>
        Sharding.Shard(globalBatch, rank, worldSize, ShardSize.Uneven);

    private static ulong NextRandom(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
