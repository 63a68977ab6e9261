using SharpVision.Data;
using SharpVision.Engine;
using SharpVision.Training;

namespace SharpVision.Transfer.Features;

/// <summary>
/// Serves a <see cref="FeatureCache"/> to the <see cref="Trainer"/> as float [B, D] batches. The order of epoch e is
/// the one a shuffling <see cref="DataLoader"/> with the same seed gives (so cached and end-to-end head training see
/// the same batches); with augmented passes, epoch e serves pass e mod K, so every pass is used equally often.
/// </summary>
public sealed class FeatureBatchSource : IBatchSource
{
    private readonly FeatureCache cache;

    /// <summary>Creates the source.</summary>
    /// <param name="cache">The features (owned by the caller; keep it alive while batches are served).</param>
    /// <param name="batchSize">Rows per batch.</param>
    /// <param name="shuffle">Shuffle rows every epoch (seeded); false for validation.</param>
    /// <param name="seed">Shuffle seed (the DataLoader's <see cref="DataLoaderOptions.Seed"/>).</param>
    /// <param name="useAugmentedPasses">Serve the augmented passes (if any) instead of the clean pass.</param>
    /// <param name="dropLast">Leave out the last, smaller batch.</param>
    public FeatureBatchSource(FeatureCache cache, int batchSize, bool shuffle = true, long seed = 0, bool useAugmentedPasses = true, bool dropLast = false)
    {
        ArgumentNullException.ThrowIfNull(cache);
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "batch size must be at least 1");
        this.cache = cache;
        BatchSize = batchSize;
        Shuffle = shuffle;
        Seed = seed;
        UseAugmentedPasses = useAugmentedPasses && cache.AugmentedPasses > 0;
        DropLast = dropLast;
    }

    /// <summary>Rows per batch.</summary>
    public int BatchSize { get; }

    /// <summary>Whether rows are shuffled each epoch.</summary>
    public bool Shuffle { get; }

    /// <summary>The shuffle seed.</summary>
    public long Seed { get; }

    /// <summary>True when epochs are served from the augmented passes.</summary>
    public bool UseAugmentedPasses { get; }

    /// <summary>Whether the last smaller batch is dropped.</summary>
    public bool DropLast { get; }

    /// <inheritdoc />
    public int Count => cache.Count;

    /// <inheritdoc />
    public int BatchesPerEpoch => DropLast ? Count / BatchSize : (Count + BatchSize - 1) / BatchSize;

    /// <inheritdoc />
    public IReadOnlyList<string> ClassNames => cache.ClassNames;

    /// <summary>The augmented pass served in <paramref name="epoch"/>, or -1 for the clean pass.</summary>
    public int PassForEpoch(int epoch) => UseAugmentedPasses ? epoch % cache.AugmentedPasses : -1;

    /// <summary>The row order of <paramref name="epoch"/>.</summary>
    public int[] EpochOrder(int epoch)
    {
        var order = Enumerable.Range(0, Count).ToArray();
        if (Shuffle) new SeededRandom(Seed, stream: 0x5F1, substream: epoch).Shuffle(order.AsSpan());
        return order;
    }

    /// <inheritdoc />
    public IEnumerable<LabeledBatch> GetBatches(int epoch, int startBatch = 0)
    {
        if (startBatch < 0 || startBatch > BatchesPerEpoch) throw new ArgumentOutOfRangeException(nameof(startBatch), startBatch, $"an epoch has {BatchesPerEpoch} batches");
        var order = EpochOrder(epoch);
        var pass = PassForEpoch(epoch);
        var source = pass < 0 ? cache.Features : cache.AugmentedFeatures[pass];
        for (var b = startBatch; b < BatchesPerEpoch; b++)
        {
            var start = b * BatchSize;
            var rows = order.AsSpan(start, Math.Min(BatchSize, Count - start)).ToArray();
            LabeledBatch batch;
            using (var scope = Torch.NewDisposeScope())
            {
                var index = Tensor.FromArray(rows.Select(r => (long)r).ToArray());
                var inputs = source.IndexSelect(0, index).DetachFromDisposeScope();
                var labels = cache.Labels.IndexSelect(0, index).DetachFromDisposeScope();
                batch = new LabeledBatch(inputs, labels, rows.Select(r => cache.Indices[r]).ToArray());
            }
            yield return batch;
        }
    }
}
