using SharpVision.Data;

namespace SharpVision.Training;

/// <summary>Adapts a <see cref="DataLoader"/> (seeded order per epoch, restartable) to the trainer's <see cref="IBatchSource"/>.</summary>
public sealed class LoaderBatchSource : IBatchSource
{
    /// <summary>Wraps a loader.</summary>
    public LoaderBatchSource(DataLoader loader) => Loader = loader;

    /// <summary>The wrapped loader.</summary>
    public DataLoader Loader { get; }

    /// <inheritdoc />
    public int Count => Loader.SamplesPerEpoch;

    /// <inheritdoc />
    public int BatchesPerEpoch => Loader.BatchesPerEpoch;

    /// <inheritdoc />
    public IReadOnlyList<string> ClassNames => Loader.Dataset.ClassNames;

    /// <inheritdoc />
    public IEnumerable<LabeledBatch> GetBatches(int epoch, int startBatch = 0)
    {
        Loader.SetEpoch(epoch);
        Loader.StartBatch = startBatch;
        foreach (var b in Loader)
        {
            // The loader's batch owns its tensors; hand them over to a LabeledBatch.
            yield return new LabeledBatch(b.Images, b.Labels, b.Indices);
        }
    }
}
