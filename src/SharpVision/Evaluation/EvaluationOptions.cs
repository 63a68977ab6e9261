namespace SharpVision.Evaluation;

/// <summary>Settings of <see cref="ClassificationMetrics.Compute"/>.</summary>
public sealed record EvaluationOptions
{
    /// <summary>k of top-k accuracy (clamped to the number of classes). Default 5.</summary>
    public int TopK { get; init; } = 5;

    /// <summary>Confidence at or above which a prediction counts as "confident" in the quadrants. Default 0.5.</summary>
    public double ConfidenceThreshold { get; init; } = 0.5;

    /// <summary>Equal-width confidence bins for the calibration error and reliability diagram. Default 15.</summary>
    public int CalibrationBins { get; init; } = 15;

    /// <summary>Smallest count for a pair to appear in the most-confused list (fastai's min_val). Default 1.</summary>
    public int MostConfusedMinCount { get; init; } = 1;

    /// <summary>How many highest-loss items to list. Default 16.</summary>
    public int TopLossCount { get; init; } = 16;

    /// <summary>How many least-confident correct items to list. Default 16.</summary>
    public int LeastConfidentCount { get; init; } = 16;

    /// <summary>Throws <see cref="ArgumentException"/> naming the setting that is out of range.</summary>
    public void Validate()
    {
        if (TopK < 1) throw new ArgumentException($"EvaluationOptions.TopK must be ≥ 1, got {TopK}");
        if (!(ConfidenceThreshold is >= 0 and <= 1)) throw new ArgumentException($"EvaluationOptions.ConfidenceThreshold must be in [0, 1], got {ConfidenceThreshold}");
        if (CalibrationBins is < 1 or > 1000) throw new ArgumentException($"EvaluationOptions.CalibrationBins must be in 1..1000, got {CalibrationBins}");
        if (MostConfusedMinCount < 1) throw new ArgumentException($"EvaluationOptions.MostConfusedMinCount must be ≥ 1, got {MostConfusedMinCount}");
        if (TopLossCount < 0) throw new ArgumentException($"EvaluationOptions.TopLossCount must be ≥ 0, got {TopLossCount}");
        if (LeastConfidentCount < 0) throw new ArgumentException($"EvaluationOptions.LeastConfidentCount must be ≥ 0, got {LeastConfidentCount}");
    }
}
