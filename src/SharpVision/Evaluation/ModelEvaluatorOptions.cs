using SharpVision.Augmentation;

namespace SharpVision.Evaluation;

/// <summary>Settings of <see cref="ModelEvaluator.Evaluate"/>.</summary>
public sealed record ModelEvaluatorOptions
{
    /// <summary>The default test-time augmentation: mild, label-preserving geometry.</summary>
    public static AugmentationSpec DefaultTtaAugmentation { get; } = AugmentationSpec.Parse("flip=h,rotate=10,zoom=0.1");

    /// <summary>Images per forward pass. Default 64.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Decode threads. Default: all cores.</summary>
    public int Workers { get; init; } = Environment.ProcessorCount;

    /// <summary>What the metrics compute (top-k, confidence threshold, calibration bins, …).</summary>
    public EvaluationOptions Metrics { get; init; } = new();

    /// <summary>Number of augmented test-time passes in addition to the plain pass; 0 (the default) = no TTA.</summary>
    public int TtaPasses { get; init; }

    /// <summary>The augmentation of the TTA passes (per-image operations only; MixUp/CutMix are rejected).</summary>
    public AugmentationSpec TtaAugmentation { get; init; } = DefaultTtaAugmentation;

    /// <summary>Seed of the TTA passes (pass p draws from its own generator seeded with Seed + p).</summary>
    public long Seed { get; init; }

    /// <summary>Called after each batch with (images done, images planned); e.g. a progress line on stderr.</summary>
    public Action<int, int>? Progress { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the setting that is out of range.</summary>
    public void Validate()
    {
        if (BatchSize < 1) throw new ArgumentException($"batch size must be ≥ 1, got {BatchSize}");
        if (Workers < 1) throw new ArgumentException($"workers must be ≥ 1, got {Workers}");
        if (TtaPasses is < 0 or > 1000) throw new ArgumentException($"TTA passes must be in 0..1000, got {TtaPasses}");
        ArgumentNullException.ThrowIfNull(TtaAugmentation);
        if (TtaPasses > 0 && TtaAugmentation.HasBatchMixing)
            throw new ArgumentException($"TTA augmentation '{TtaAugmentation}' mixes images (mixup/cutmix), which changes labels; use per-image operations only");
        ArgumentNullException.ThrowIfNull(Metrics);
        Metrics.Validate();
    }
}
