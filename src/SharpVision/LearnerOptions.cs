using SharpVision.Augmentation;
using SharpVision.Data;
using SharpVision.Engine;
using SharpVision.Training.Optimizers;
using SharpVision.Training.Schedules;

namespace SharpVision;

/// <summary>
/// Typed settings of a <see cref="Learner"/>. Every value has the meaning of the <c>sharpvision train</c> option with
/// the same name, so a program and a command line with the same settings and seed train the same model.
/// </summary>
public sealed record LearnerOptions
{
    /// <summary>A zoo model name (<c>sharpvision summary --list</c>): "cafe-cnn", "resnet18", "mobilenet_v2", …</summary>
    public string Model { get; init; } = "cafe-cnn";

    /// <summary>Square input size in pixels (0 = the model's default).</summary>
    public int ImageSize { get; init; }

    /// <summary>How photos are fitted to the input size.</summary>
    public ResizeMode Resize { get; init; } = ResizeMode.Stretch;

    /// <summary>Stratified share of the images held out for validation (0 = none).</summary>
    public double ValidationSplit { get; init; } = 0.1;

    /// <summary>Images per optimizer step.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>The optimizer.</summary>
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Adam;

    /// <summary>The base learning rate (null = the optimizer's default); the schedule scales it.</summary>
    public double? LearningRate { get; init; }

    /// <summary>Weight decay (null = the optimizer's default).</summary>
    public double? WeightDecay { get; init; }

    /// <summary>The learning-rate schedule (null = constant).</summary>
    public LearningRateSchedule? Schedule { get; init; }

    /// <summary>Batch augmentation during training (null = none), e.g. <c>AugmentationSpec.Parse("flip=h,rotate=15")</c>.</summary>
    public AugmentationSpec? Augmentation { get; init; }

    /// <summary>Cross-entropy label smoothing.</summary>
    public double LabelSmoothing { get; init; }

    /// <summary>Seed of the split, data order, augmentation and initialisation: same seed, same run.</summary>
    public ulong Seed { get; init; }

    /// <summary>Where the run writes its model files, history, curves and TensorBoard logs.</summary>
    public string OutputDirectory { get; init; } = "runs/learner";

    /// <summary>Continue an interrupted run from its last checkpoint.</summary>
    public bool Resume { get; init; }

    /// <summary>Keep decoded images in memory after the first epoch.</summary>
    public bool CacheImages { get; init; }

    /// <summary>Intra-op threads (null = all cores).</summary>
    public int? Threads { get; init; }

    /// <summary>Where the model trains.</summary>
    public Device Device { get; init; } = Device.Cpu;

    /// <summary>
    /// Open-set rejection: after training, calibrate an "unknown" threshold that keeps this share of the correctly
    /// classified validation images (null = no calibration), as <c>sharpvision train --unknown-target</c> does.
    /// </summary>
    public double? UnknownTarget { get; init; } = 0.95;

    /// <summary>Print a progress bar (null = when the console is interactive).</summary>
    public bool? Progress { get; init; }
}
