namespace SharpVision.Data;

/// <summary>Where the trainer gets its batches: a deterministic order per (seed, epoch), restartable at a batch.</summary>
public interface IBatchSource
{
    /// <summary>Number of items.</summary>
    int Count { get; }

    /// <summary>Number of batches one epoch yields.</summary>
    int BatchesPerEpoch { get; }

    /// <summary>The class names, index = label.</summary>
    IReadOnlyList<string> ClassNames { get; }

    /// <summary>The batches of <paramref name="epoch"/> from <paramref name="startBatch"/> on. The caller disposes each batch.</summary>
    IEnumerable<LabeledBatch> GetBatches(int epoch, int startBatch = 0);
}
