using SharpVision.Engine;

namespace SharpVision.Training;

/// <summary>Settings of <see cref="Trainer.Fit"/>.</summary>
public sealed record TrainerOptions
{
    /// <summary>Epochs to train (a resumed run continues up to this number).</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Seed for data order, augmentation and dropout: same seed, same run (bit for bit on CPU).</summary>
    public ulong Seed { get; init; }

    /// <summary>This process's rank in distributed training: augmentation and dropout differ per rank.</summary>
    public int Rank { get; init; }

    /// <summary>Where the model runs.</summary>
    public Device Device { get; init; } = Device.Cpu;

    /// <summary>The k of the top-k accuracy metric (only reported when k is smaller than the class count).</summary>
    public int TopK { get; init; } = 5;

    /// <summary>
    /// Gradient accumulation: each batch is split into this many micro-batches whose gradients add up before one
    /// optimizer step (less memory, same step as the whole batch; only the last micro-batch is synchronised across
    /// processes). 1 = no accumulation.
    /// </summary>
    public int AccumulationSteps { get; init; } = 1;

    /// <summary>Clip the global gradient norm to this value (null = no clipping).</summary>
    public double? ClipGradientNorm { get; init; }

    /// <summary>
    /// Keep an exponential moving average of the weights with this decay (null = none). Validation, best-model
    /// checkpoints and the final weights then use the averaged weights (see <see cref="ExponentialMovingAverage"/>).
    /// </summary>
    public double? EmaDecay { get; init; }

    /// <summary>With <see cref="EmaDecay"/>: also validate the raw training weights each epoch (raw_val_* metrics).</summary>
    public bool EmaValidateRawWeights { get; init; } = true;

    /// <summary>Resume-checkpoint path (e.g. runs/NAME/last.checkpoint); null = no checkpoints.</summary>
    public string? CheckpointPath { get; init; }

    /// <summary>Continue from the checkpoint if one exists.</summary>
    public bool Resume { get; init; }

    /// <summary>Describes the configuration; a checkpoint from a different configuration is refused on resume.</summary>
    public string Fingerprint { get; init; } = "";
}
