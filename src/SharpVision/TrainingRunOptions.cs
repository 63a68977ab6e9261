using SharpVision.Data;
using SharpVision.Engine;

namespace SharpVision;

/// <summary>Everything `sharpvision train` can be told; defaults are sensible for a first run.</summary>
public sealed record TrainingRunOptions
{
    /// <summary>Training data (folder, Food-101 root, IDX or CIFAR folder).</summary>
    public required string DataPath { get; init; }

    /// <summary>Separate validation data; null = split <see cref="ValidationSplit"/> off the training data.</summary>
    public string? ValidationPath { get; init; }

    /// <summary>Fraction of the training data held out (stratified, seeded) when no validation folder is given; 0 = none.</summary>
    public double ValidationSplit { get; init; } = 0.1;

    /// <summary>
    /// Hold out this fold of a stratified K-fold partition (seeded by <see cref="Seed"/>) instead of
    /// <see cref="ValidationSplit"/>; fold 0/10 is the 0.1 split. Null = use <see cref="ValidationSplit"/>.
    /// </summary>
    public CrossValidationFold? ValidationFold { get; init; }

    /// <summary>Dataset layout.</summary>
    public DatasetFormat Format { get; init; } = DatasetFormat.Auto;

    /// <summary>Only these classes (in this label order); null = all.</summary>
    public IReadOnlyList<string>? Classes { get; init; }

    /// <summary>Zoo model name.</summary>
    public required string Model { get; init; }

    /// <summary>Input height (0 = the model's default).</summary>
    public int InputHeight { get; init; }

    /// <summary>Input width (0 = the model's default).</summary>
    public int InputWidth { get; init; }

    /// <summary>How photos are brought to the input size.</summary>
    public ResizeMode Resize { get; init; } = ResizeMode.Stretch;

    /// <summary>Pixel normalisation (null = ImageNet for pretrained models, else [0, 1]).</summary>
    public NormalizationMode? Normalization { get; init; }

    /// <summary>Epochs.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Global batch size (split across ranks in distributed training).</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>The optimizer.</summary>
    public Training.Optimizers.OptimizerKind Optimizer { get; init; } = Training.Optimizers.OptimizerKind.Adam;

    /// <summary>Learning rate (null = the optimizer's usual default).</summary>
    public double? LearningRate { get; init; }

    /// <summary>
    /// Choose the learning rate with <see cref="Training.LearningRates.LearningRateFinder"/> before training (<c>--lr auto</c>);
    /// <see cref="LearningRate"/> is then ignored. With several processes every rank runs the same single-process sweep
    /// and rank 0's rate is broadcast.
    /// </summary>
    public bool FindLearningRate { get; init; }

    /// <summary>The sweep of <see cref="FindLearningRate"/> and of <c>sharpvision lr-find</c>.</summary>
    public Training.LearningRates.LearningRateFinderOptions LearningRateFinder { get; init; } = new();

    /// <summary>Watch the run and print health warnings with advice (<see cref="Training.Callbacks.TrainingHealthMonitor"/>); on by default.</summary>
    public bool Health { get; init; } = true;

    /// <summary>Momentum for SGD / RMSprop.</summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary>Weight decay (null = 0, or 0.01 for AdamW).</summary>
    public double? WeightDecay { get; init; }

    /// <summary>The learning-rate schedule (each run starts a fresh copy of it, from its <see cref="Training.Schedules.LearningRateSchedule.Spec"/>).</summary>
    public Training.Schedules.LearningRateSchedule Schedule { get; init; } = new Training.Schedules.ConstantSchedule();

    /// <summary>Label smoothing.</summary>
    public double LabelSmoothing { get; init; }

    /// <summary>Batch augmentation during training (null = none).</summary>
    public Augmentation.AugmentationSpec? Augmentation { get; init; }

    /// <summary>Dropout override for the model.</summary>
    public double? Dropout { get; init; }

    /// <summary>A file listing training images to leave out (<see cref="Data.ExclusionList"/>, e.g. <c>audit</c>'s exclude.txt); null = none.</summary>
    public string? ExcludeList { get; init; }

    /// <summary>Blocks whose pooled outputs join the head's features (<see cref="Models.ModelOptions.FeatureTaps"/>); null = none.</summary>
    public IReadOnlyList<string>? FeatureTaps { get; init; }

    /// <summary>
    /// Gradient accumulation (<c>--accumulate k</c>): each process splits its batch into k micro-batches, accumulates
    /// their gradients and steps once; only the last micro-batch's backward is synchronised across processes.
    /// </summary>
    public int AccumulationSteps { get; init; } = 1;

    /// <summary>How gradient buckets travel between processes (<c>--grad-compression</c>; ignored in one process).</summary>
    public Engine.Distributed.GradientCompression GradientCompression { get; init; } = Engine.Distributed.GradientCompression.None;

    /// <summary>
    /// Synchronised BatchNorm (<c>--sync-batch-norm</c>): with several processes, BatchNorm layers normalise with the
    /// statistics of the global batch, so the run trains as one process with the global batch would (two small
    /// all-reduces per BatchNorm layer in each forward and backward). One process: no effect.
    /// </summary>
    public bool SyncBatchNorm { get; init; }

    /// <summary>Global gradient-norm clipping.</summary>
    public double? ClipGradientNorm { get; init; }

    /// <summary>Decay of the weight moving average (null = none; see <see cref="Training.ExponentialMovingAverage"/>).</summary>
    public double? EmaDecay { get; init; }

    /// <summary>Seed of everything.</summary>
    public ulong Seed { get; init; }

    /// <summary>Intra-op threads (null = all cores).</summary>
    public int? Threads { get; init; }

    /// <summary>Device.</summary>
    public Device Device { get; init; } = Device.Cpu;

    /// <summary>Run folder.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>Resume from the run folder's checkpoint.</summary>
    public bool Resume { get; init; }

    /// <summary>Metric for the best checkpoint and early stopping.</summary>
    public string Monitor { get; init; } = "val_accuracy";

    /// <summary>Early-stopping patience in epochs (null = off).</summary>
    public int? EarlyStoppingPatience { get; init; }

    /// <summary>Keep decoded, resized images in memory.</summary>
    public bool CacheImages { get; init; }

    /// <summary>Class-balanced sampling.</summary>
    public bool BalancedSampling { get; init; }

    /// <summary>Train on at most this many images (quick experiments; stratified).</summary>
    public int? Limit { get; init; }

    /// <summary>Data-parallel training over c10d (also implied by torchrun's environment variables).</summary>
    public bool Distributed { get; init; }

    /// <summary>Show a live progress bar (null = when the output is a terminal).</summary>
    public bool? Progress { get; init; }

    /// <summary>Pretrained weights (a safetensors file or a known name such as mobilenet_v2) loaded by torchvision name; the head is new.</summary>
    public string? Pretrained { get; init; }

    /// <summary>Modules to freeze, e.g. "features.0-12" or "layer1,layer2" (see docs/transfer.md).</summary>
    public string? Freeze { get; init; }

    /// <summary>Freeze every top-level module before this one (e.g. "layer3").</summary>
    public string? FreezeUntil { get; init; }

    /// <summary>fastai-style fine-tuning: (head epochs with the backbone frozen, epochs with the top blocks unfrozen).</summary>
    public (int HeadEpochs, int UnfrozenEpochs)? FineTune { get; init; }

    /// <summary>What fine-tuning unfreezes (default: the model's top blocks, e.g. features.13+ for MobileNetV2).</summary>
    public string? Unfreeze { get; init; }

    /// <summary>Learning rate of the unfrozen phase (default: a tenth of the head's).</summary>
    public double? FineTuneLearningRate { get; init; }

    /// <summary>
    /// Discriminative rates of the unfrozen phase: the lowest unfrozen block gets the fine-tune rate × this, higher
    /// blocks geometrically more, the head × 1 (fastai's slice(lr/10, lr) is 0.1). Null: one rate for all.
    /// </summary>
    public double? DiscriminativeScale { get; init; }

    /// <summary>Learning-rate schedule of the unfrozen phase (the head phase uses <see cref="Schedule"/>).</summary>
    public string FineTuneSchedule { get; init; } = "cosine";

    /// <summary>BatchNorm inside the unfrozen blocks: running statistics (default), frozen, or batch statistics.</summary>
    public Transfer.BatchNormMode BatchNorm { get; init; } = Transfer.BatchNormMode.RunningStatistics;

    /// <summary>How the head phase trains: on cached features when nothing needs the images (auto), always cached, or end to end.</summary>
    public Transfer.HeadPhaseMode HeadPhase { get; init; } = Transfer.HeadPhaseMode.Auto;

    /// <summary>With a cached head phase and augmentation: augmented passes stored in the feature cache (one served per epoch).</summary>
    public int AugmentedPasses { get; init; }

    /// <summary>Folder of a feature cache to reuse across runs (null = inside <see cref="OutputDirectory"/>).</summary>
    public string? FeatureCacheDirectory { get; init; }

    /// <summary>The exact command line, recorded in run.json.</summary>
    public string? CommandLine { get; init; }
}
