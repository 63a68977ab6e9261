using SharpVision.Engine;
using SharpVision.Data;
using SharpVision.Training;

namespace SharpVision.Transfer;

/// <summary>
/// One rank's part of every batch of another source: batch b of the global order is cut into WorldSize contiguous
/// parts of (nearly) equal size and this rank gets part Rank. The union over ranks is the global batch, so averaging
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
                var n = global.Count;
                var from = (int)((long)n * Rank / WorldSize);
                var to = (int)((long)n * (Rank + 1) / WorldSize);
                if (to > from)
                {
                    using var scope = Torch.NewDisposeScope();
                    part = new LabeledBatch(global.Inputs.Narrow(0, from, to - from).Contiguous().DetachFromDisposeScope(),
                        global.Labels.Narrow(0, from, to - from).Contiguous().DetachFromDisposeScope(), global.Indices[from..to]);
                }
            }
            if (part is not null) yield return part;
        }
    }
}
