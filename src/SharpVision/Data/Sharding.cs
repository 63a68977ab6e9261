namespace SharpVision.Data;

/// <summary>
/// Data parallelism's one way of splitting an order among ranks: rank r takes positions r, r + W, r + 2W, … of an
/// order that every rank computes alike, so the shares are disjoint and together cover it (<see cref="ShardSize"/>
/// says what happens to a remainder). Used by <see cref="DataLoader.Shard"/>, the distributed sampler, the per-batch
/// split of the data-parallel self-test and the fine-tuning head phase's sharded feature batches.
/// </summary>
public static class Sharding
{
    /// <summary>Rank <paramref name="rank"/>'s share of <paramref name="order"/> among <paramref name="worldSize"/> ranks.</summary>
    public static T[] Shard<T>(IReadOnlyList<T> order, int rank, int worldSize, ShardSize size = ShardSize.Uneven)
    {
        ArgumentNullException.ThrowIfNull(order);
        if (worldSize < 1) throw new ArgumentOutOfRangeException(nameof(worldSize), worldSize, "world size must be at least 1");
        if (rank < 0 || rank >= worldSize) throw new ArgumentOutOfRangeException(nameof(rank), rank, $"rank must be in [0, {worldSize})");
        var n = order.Count;
        var count = size switch
        {
            ShardSize.Even => n / worldSize,
            ShardSize.Padded => n == 0 ? 0 : (n + worldSize - 1) / worldSize,
            _ => n > rank ? (n - rank + worldSize - 1) / worldSize : 0,
        };
        var shard = new T[count];
        // Padded positions stay below n + W, so the modulo repeats the start of the order at most once.
        for (var i = 0; i < count; i++) shard[i] = order[(rank + i * worldSize) % n];
        return shard;
    }
}
