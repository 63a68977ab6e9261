using SharpVision.Engine.Distributed;
using SharpVision.Layers;

namespace SharpVision.Distributed;

/// <summary>
/// Synchronised BatchNorm for data-parallel training (torch.nn.SyncBatchNorm.convert_sync_batchnorm): every
/// <see cref="BatchNorm"/> of a model normalises, in training mode, with the statistics of the global batch (all
/// ranks' batches together) instead of its rank's share, and updates its running statistics with them, so W ranks
/// train exactly as one process with the global batch. The layers stay in place with their names, parameters and
/// buffers (<see cref="BatchNorm.SyncGroup"/> is set), so model files, checkpoints, resume and export are unaffected.
/// Cost: two small all-reduces (C + 1 and C values) per BatchNorm layer in each forward, two more in its backward.
/// </summary>
public static class SyncBatchNorm
{
    /// <summary>
    /// Makes every BatchNorm layer of <paramref name="model"/> normalise over <paramref name="group"/>'s global batch
    /// (null: back to each process's own batch) and returns the number of BatchNorm layers. A group of one rank
    /// changes nothing in the numbers.
    /// </summary>
    public static int Convert(Module model, ProcessGroup? group)
    {
        ArgumentNullException.ThrowIfNull(model);
        var layers = BatchNormLayers(model);
        foreach (var bn in layers) bn.SyncGroup = group;
        return layers.Count;
    }

    /// <summary>The BatchNorm layers of <paramref name="model"/> (itself included), in module order.</summary>
    public static IReadOnlyList<BatchNorm> BatchNormLayers(Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.NamedModules().Select(m => m.Module).OfType<BatchNorm>().ToList();
    }
}
