using SharpVision.Models;

namespace SharpVision.Evaluation;

/// <summary>How <see cref="UnknownCalibrator"/> fits open-set rejection.</summary>
public sealed record UnknownCalibrationOptions
{
    /// <summary>The share of correctly classified validation items that must still be accepted. Default 0.95.</summary>
    public double TargetAcceptance { get; init; } = 0.95;

    /// <summary>
    /// The score to reject with; null chooses: the highest AUROC on the unknown examples when some are given, otherwise
    /// Mahalanobis when the model exposes features (it separated best on food5, docs/results.md), otherwise energy.
    /// </summary>
    public UnknownScoreKind? Method { get; init; }

    /// <summary>Covariance shrinkage α for the Mahalanobis score (see <see cref="MahalanobisParameters.Shrinkage"/>). Default 0.05.</summary>
    public double Shrinkage { get; init; } = 0.05;

    /// <summary>Checks the values; throws <see cref="ArgumentException"/> naming the option.</summary>
    public void Validate()
    {
        if (!(TargetAcceptance > 0 && TargetAcceptance <= 1)) throw new ArgumentException($"target acceptance must be in (0, 1], got {TargetAcceptance}");
        if (Shrinkage is < 0 or > 1 || double.IsNaN(Shrinkage)) throw new ArgumentException($"shrinkage must be in [0, 1], got {Shrinkage}");
    }
}
