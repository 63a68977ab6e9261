using SharpVision.Models;

namespace SharpVision.Evaluation;

/// <summary>How <see cref="UnknownCalibrator"/> fits open-set rejection.</summary>
public sealed record UnknownCalibrationOptions
{
    /// <summary>The share of correctly classified validation items that must still be accepted. Default 0.95.</summary>
    public double TargetAcceptance { get; init; } = 0.95;

    /// <summary>
    /// The score to reject with; null chooses: the highest AUROC on the unknown examples when some are given, otherwise
    /// energy, which separated best on food5 in our measurements (docs/results.md).
    /// </summary>
    public UnknownScoreKind? Method { get; init; }

    /// <summary>Covariance shrinkage α for the Mahalanobis score (see <see cref="MahalanobisParameters.Shrinkage"/>); null (default) estimates it (Ledoit–Wolf).</summary>
    public double? Shrinkage { get; init; }

    /// <summary>Checks the values; throws <see cref="ArgumentException"/> naming the option.</summary>
    public void Validate()
    {
        if (!(TargetAcceptance > 0 && TargetAcceptance <= 1)) throw new ArgumentException($"target acceptance must be in (0, 1], got {TargetAcceptance}");
        if (Shrinkage is < 0 or > 1 || (Shrinkage is { } s && double.IsNaN(s))) throw new ArgumentException($"shrinkage must be in [0, 1], got {Shrinkage}");
    }
}
