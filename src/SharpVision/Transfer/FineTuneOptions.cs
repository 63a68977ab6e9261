using SharpVision.Augmentation;
using SharpVision.Distributed;
using SharpVision.Engine;
using SharpVision.Training.Callbacks;
using SharpVision.Training.Optimizers;

namespace SharpVision.Transfer;

/// <summary>Settings of <see cref="FineTuneRecipe.Run"/> (fastai's fine_tune: head first, then the top blocks).</summary>
public sealed record FineTuneOptions
{
    /// <summary>Folder for the phase checkpoints, the best and final model files, CSV logs and (by default) feature caches. Required.</summary>
    public required string RunDirectory { get; init; }

    /// <summary>Phase 1 epochs: only the head trains, the backbone is frozen. 0 skips the phase.</summary>
    public int HeadEpochs { get; init; } = 5;

    /// <summary>Phase 2 epochs: the <see cref="Unfreeze"/> blocks train with the head. 0 skips the phase.</summary>
    public int FineTuneEpochs { get; init; } = 10;

    /// <summary>Phase 1 learning rate.</summary>
    public double HeadLearningRate { get; init; } = 1e-3;

    /// <summary>Phase 2 base learning rate; null = <see cref="HeadLearningRate"/> / 10.</summary>
    public double? FineTuneLearningRate { get; init; }

    /// <summary>Phase 1 schedule spec (see <see cref="Training.Schedules.LearningRateSchedule.Parse"/>).</summary>
    public string HeadSchedule { get; init; } = "constant";

    /// <summary>Phase 2 schedule spec.</summary>
    public string FineTuneSchedule { get; init; } = "cosine";

    /// <summary>What phase 2 unfreezes (a <see cref="FreezeSpec"/>: "features.13+", "layer4", "all"); null = <see cref="FineTuneRecipe.DefaultUnfreeze"/>.</summary>
    public FreezeSpec? Unfreeze { get; init; }

    /// <summary>
    /// Discriminative learning rates in phase 2: the first unfrozen block gets the base rate × this, later blocks
    /// geometrically more, the head × 1 (e.g. 0.1 spreads rates over a decade, like fastai's slice(lr/10, lr)). Null: one rate.
    /// </summary>
    public double? LowestLearningRateScale { get; init; }

    /// <summary>BatchNorm behaviour inside the unfrozen blocks.</summary>
    public BatchNormMode BatchNorm { get; init; } = BatchNormMode.RunningStatistics;

    /// <summary>Training augmentation (null = none). Phase 2 always applies it on the fly.</summary>
    public AugmentationSpec? Augmentation { get; init; }

    /// <summary>How phase 1 gets its inputs (cached features or the frozen backbone every step).</summary>
    public HeadPhaseMode HeadPhase { get; init; } = HeadPhaseMode.Auto;

    /// <summary>With <see cref="HeadPhaseMode.Cached"/> and augmentation: augmented passes stored in the cache (one served per epoch).</summary>
    public int AugmentedPasses { get; init; }

    /// <summary>Training batch size.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Batch size of feature extraction and evaluation.</summary>
    public int InferenceBatchSize { get; init; } = 64;

    /// <summary>Seed of data order, augmentation and dropout.</summary>
    public ulong Seed { get; init; }

    /// <summary>Where the model runs.</summary>
    public Device Device { get; init; } = Device.Cpu;

    /// <summary>Image decode threads.</summary>
    public int Workers { get; init; } = Environment.ProcessorCount;

    /// <summary>Keep decoded, resized images in memory after the first epoch (phase 2).</summary>
    public bool CacheImages { get; init; } = true;

    /// <summary>Label smoothing of the cross-entropy loss.</summary>
    public double LabelSmoothing { get; init; }

    /// <summary>Clip the global gradient norm (null = off).</summary>
    public double? ClipGradientNorm { get; init; }

    /// <summary>
    /// Decay of a weight moving average kept in each phase (null = none; see <see cref="Training.ExponentialMovingAverage"/>):
    /// validation, the best model and the phase's final weights use the averaged weights.
    /// </summary>
    public double? EmaDecay { get; init; }

    /// <summary>Weight decay of the default optimizer (AdamW).</summary>
    public double WeightDecay { get; init; } = 0.01;

    /// <summary>Builds the optimizer of a phase from its parameter groups and base learning rate; null = AdamW with <see cref="WeightDecay"/>.</summary>
    public Func<IReadOnlyList<ParameterGroup>, double, Optimizer>? OptimizerFactory { get; init; }

    /// <summary>Validation metric the best model is chosen by.</summary>
    public string Monitor { get; init; } = "val_accuracy";

    /// <summary>Folder of the feature caches (null = <see cref="RunDirectory"/>); share it between runs to reuse extracted features.</summary>
    public string? FeatureCacheDirectory { get; init; }

    /// <summary>Label of the model in feature-cache metadata (e.g. "mobilenet_v2").</summary>
    public string ModelName { get; init; } = "";

    /// <summary>Continue from the phase checkpoints in <see cref="RunDirectory"/>; a finished phase is skipped.</summary>
    public bool Resume { get; init; }

    /// <summary>Extra callbacks for both phases (e.g. a ProgressReporter). Their state is checkpointed per phase.</summary>
    public IReadOnlyList<Callback> Callbacks { get; init; } = Array.Empty<Callback>();

    /// <summary>
    /// The data-parallel group both phases train in (default: a single process). <see cref="BatchSize"/> is then the
    /// global batch; rank 0 alone writes the feature cache, the checkpoints, the logs and the model files.
    /// </summary>
    public DataParallel Parallel { get; init; } = DataParallel.None;

    /// <summary>Receives progress messages (default: the console).</summary>
    public Action<string>? Log { get; init; }
}
