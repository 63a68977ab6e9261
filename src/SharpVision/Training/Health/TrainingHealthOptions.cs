namespace SharpVision.Training.Health;

/// <summary>Thresholds of the <see cref="Callbacks.TrainingHealthMonitor"/>; the defaults stay quiet on a healthy run.</summary>
public sealed record TrainingHealthOptions
{
    /// <summary>The early check runs after this many optimizer steps (or at the end of the first epoch if it is shorter).</summary>
    public int FirstCheckStep { get; init; } = 50;

    /// <summary>Mini-batches whose loss and accuracy are averaged for the stuck-loss check.</summary>
    public int Window { get; init; } = 20;

    /// <summary>The loss counts as stuck when within this fraction of ln(classes) (and accuracy is near chance).</summary>
    public double StuckTolerance { get; init; } = 0.02;

    /// <summary>
    /// A layer is reported when at least this share of its ReLU units never fire on the probe batch. High on purpose:
    /// a healthy fashion-cnn at Adam 3e-3 has two thirds of its sparse dense units silent on 64 images.
    /// </summary>
    public double DeadReluShare { get; init; } = 0.9;

    /// <summary>A layer's gradients explode when their norm exceeds this multiple of its weights' norm.</summary>
    public double ExplodingRatio { get; init; } = 10;

    /// <summary>
    /// A layer's gradients vanish when their norm, relative to its weights' norm, is below this multiple of the same
    /// ratio in the layer that learns fastest.
    /// </summary>
    public double VanishingRatio { get; init; } = 1e-4;

    /// <summary>Over-fitting is reported when training accuracy exceeds validation accuracy by this much (0.2 = 20 points).</summary>
    public double OverfitGap { get; init; } = 0.2;

    /// <summary>A plateau is reported after this many epochs without a 0.1% improvement of the validation loss.</summary>
    public int PlateauEpochs { get; init; } = 5;

    /// <summary>The rate lr-find suggested for this run (quoted in the advice), if known.</summary>
    public double? SuggestedLearningRate { get; init; }
}
