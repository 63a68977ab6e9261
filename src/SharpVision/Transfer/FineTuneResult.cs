using SharpVision.Training;

namespace SharpVision.Transfer;

/// <summary>What <see cref="FineTuneRecipe.Run"/> did.</summary>
public sealed record FineTuneResult
{
    /// <summary>Phase 1 metrics per epoch (restored from the checkpoint when the phase was skipped).</summary>
    public required History HeadHistory { get; init; }

    /// <summary>Phase 2 metrics per epoch.</summary>
    public required History FineTuneHistory { get; init; }

    /// <summary>How phase 1 ran (cached or end-to-end).</summary>
    public required HeadPhaseMode HeadMode { get; init; }

    /// <summary>True when phase 1 was already finished in a resumed run.</summary>
    public bool HeadPhaseSkipped { get; init; }

    /// <summary>True when phase 2 was already finished in a resumed run.</summary>
    public bool FineTunePhaseSkipped { get; init; }

    /// <summary>The modules phase 2 unfroze.</summary>
    public IReadOnlyList<string> Unfrozen { get; init; } = Array.Empty<string>();

    /// <summary>Phase 2 parameter groups as (name, learning-rate scale, parameter count).</summary>
    public IReadOnlyList<(string Group, double Scale, long Parameters)> FineTuneGroups { get; init; } = Array.Empty<(string, double, long)>();

    /// <summary>Best value of the monitored metric over both phases (NaN without validation data).</summary>
    public double BestMetric { get; init; } = double.NaN;

    /// <summary>"head" or "fine-tune": the phase of the best epoch.</summary>
    public string? BestPhase { get; init; }

    /// <summary>The best model file (complete network), or null without validation data.</summary>
    public string? BestModelPath { get; init; }

    /// <summary>The model as it was after the last epoch (complete network).</summary>
    public required string FinalModelPath { get; init; }

    /// <summary>Time spent extracting features (zero when the caches were up to date or not used).</summary>
    public TimeSpan FeatureExtractionTime { get; init; }

    /// <summary>Phase 1 wall time (including feature extraction).</summary>
    public TimeSpan HeadPhaseTime { get; init; }

    /// <summary>Phase 2 wall time.</summary>
    public TimeSpan FineTunePhaseTime { get; init; }
}
