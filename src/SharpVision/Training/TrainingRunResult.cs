using SharpVision.Data;

namespace SharpVision.Training;

/// <summary>What a training run produced.</summary>
/// <param name="History">Every epoch's metrics.</param>
/// <param name="BestModelPath">The best model file (by the monitored metric).</param>
/// <param name="FinalModelPath">The model at the end of training.</param>
/// <param name="RunDirectory">The run folder.</param>
/// <param name="Best">The best monitored value.</param>
/// <param name="BestEpoch">Epoch (1-based) of the best value.</param>
/// <param name="SkippedFiles">Files skipped as unreadable.</param>
public sealed record TrainingRunResult(History History, string BestModelPath, string FinalModelPath, string RunDirectory,
    double Best, int BestEpoch, int SkippedFiles)
{
    /// <summary>The images the run trained on (after any split, limit and exclusions).</summary>
    public ImageDataset? TrainData { get; init; }

    /// <summary>The images the run validated on, or null without validation.</summary>
    public ImageDataset? ValidationData { get; init; }

    /// <summary>
    /// False on the ranks other than 0 of a distributed run: they wrote nothing, and what follows the run (reports,
    /// open-set calibration) is rank 0's to do.
    /// </summary>
    public bool IsPrimary { get; init; } = true;
}
