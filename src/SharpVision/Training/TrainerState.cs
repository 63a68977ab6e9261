namespace SharpVision.Training;

/// <summary>The non-tensor part of a training checkpoint (stored as JSON in the checkpoint's metadata).</summary>
public sealed class TrainerState
{
    /// <summary>Format version.</summary>
    public int Version { get; set; } = 1;

    /// <summary>Epochs fully completed; a resume starts at this epoch index.</summary>
    public int EpochsCompleted { get; set; }

    /// <summary>Optimizer steps done.</summary>
    public long GlobalStep { get; set; }

    /// <summary>The history so far (History.ToJson()).</summary>
    public string HistoryJson { get; set; } = "[]";

    /// <summary>The learning-rate schedule's state.</summary>
    public Dictionary<string, double> Schedule { get; set; } = new();

    /// <summary>Each callback's state by its key.</summary>
    public Dictionary<string, Dictionary<string, string>> Callbacks { get; set; } = new();

    /// <summary>The augmentation generator's state (base64), for completeness; epochs are re-seeded deterministically too.</summary>
    public string? AugmentationRng { get; set; }

    /// <summary>libtorch's default generator state (base64).</summary>
    public string? TorchRng { get; set; }

    /// <summary>What the run was configured with (model, seed, optimizer...) — a resume with different settings is refused.</summary>
    public string Fingerprint { get; set; } = "";

    /// <summary>Updates of the weight moving average (null when the run keeps none).</summary>
    public long? EmaUpdates { get; set; }

    /// <summary>Why the run stopped early, if it did.</summary>
    public string? StopReason { get; set; }
}
