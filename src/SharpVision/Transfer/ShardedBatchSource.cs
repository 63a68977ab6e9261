using SharpVision.Engine;
using SharpVision.Data;
using SharpVision.Training;

namespace SharpVision.Transfer;

/// <summary>
/// One rank's part of every batch of another source: of each global batch, rank r takes positions r, r + W, r + 2W, …
/// (<see cref="Sharding"/>, the one sharding rule of data parallelism). The union over ranks is the global batch, so averaging
/// the ranks' gradients gives the gradient of the global batch. Used for the cached features of the fine-tuning
/// recipe's head phase, which every rank holds in full; an empty part (a last batch smaller than the world) yields
/// nothing, which only an evaluation source may have.
/// </summary>
public sealed class ShardedBatchSource : IBatchSource
{
    private readonly IBatchSource inner;

    /// <summary>Wraps <paramref name="inner"/> (which yields global batches) for <paramref name="rank"/> of <paramref name="worldSize"/>.</summary>
    public ShardedBatchSource(IBatchSource inner, int rank, int worldSize)
    {
        ArgumentNullException.ThrowIfNull(inner);
        if (worldSize < 1 || rank < 0 || rank >= worldSize) throw new ArgumentOutOfRangeException(nameof(rank), rank, $"rank must be in 0..{worldSize - 1}");
        this.inner = inner;
        Rank = rank;
        WorldSize = worldSize;
    }

    /// <summary>This rank.</summary>
    public int Rank { get; }

    /// <summary>Number of ranks.</summary>
    public int WorldSize { get; }

    /// <inheritdoc />
    public int Count => inner.Count;

    /// <inheritdoc />
    public int BatchesPerEpoch => inner.BatchesPerEpoch;

    /// <inheritdoc />
    public IReadOnlyList<string> ClassNames => inner.ClassNames;

    /// <inheritdoc />
    public IEnumerable<LabeledBatch> GetBatches(int epoch, int startBatch = 0)
    {
        foreach (var global in inner.GetBatches(epoch, startBatch))
        {
            LabeledBatch? part = null;
            using (global)
            {
                // The one sharding rule of data parallelism (Data.Sharding): rank r takes positions r, r + W, … of the batch.
                var positions = Sharding.Shard(Enumerable.Range(0, global.Count).ToArray(), Rank, WorldSize);
                if (positions.Length > 0)
                {
                    using var scope = Torch.NewDisposeScope();
                    var index = Tensor.FromArray(positions.Select(p => (long)p).ToArray()).To(global.Inputs.Device);
                    part = new LabeledBatch(global.Inputs.IndexSelect(0, index).DetachFromDisposeScope(),
                        global.Labels.IndexSelect(0, index.To(global.Labels.Device)).DetachFromDisposeScope(),
                        positions.Select(p => global.Indices[p]).ToArray());
                }
            }
            if (part is not null) yield return part;
        }
    }
}
