using SharpVision.Layers;
using SharpVision.Training;
using SharpVision.Training.Callbacks;

namespace SharpVision.Transfer;

/// <summary>
/// Keeps the given BatchNorm layers in eval mode during training (running statistics, no updates) while their affine
/// parameters keep training: the trainer switches the whole model to training mode at the start of every epoch, so the
/// layers are switched back before every batch.
/// </summary>
public sealed class RunningStatisticsCallback : Callback
{
    private readonly BatchNorm[] layers;

    /// <summary>Creates the callback for <paramref name="layers"/>.</summary>
    public RunningStatisticsCallback(IEnumerable<BatchNorm> layers) => this.layers = layers.ToArray();

    /// <summary>Number of layers kept in eval mode.</summary>
    public int Count => layers.Length;

    /// <inheritdoc />
    public override void OnBatchBegin(TrainingContext context, int batch)
    {
        foreach (var bn in layers) bn.SetTrainingFlag(false);
    }
}
