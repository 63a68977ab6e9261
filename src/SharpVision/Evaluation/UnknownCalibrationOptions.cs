using SharpVision.Models;

namespace SharpVision.Evaluation;

/// <summary>How <see cref="UnknownCalibrator"/> fits open-set rejection.</summary>
public sealed record UnknownCalibrationOptions
{
    /// <summary>The share of correctly classified validation items that must still be accepted. Default 0.95.</summary>
    public double TargetAcceptance { get; init; } = 0.95;

    /// <summary>
    /// The score to reject with; null chooses: the highest AUROC on the unknown examples when some are given, otherwise
    /// the nearest-neighbour score when the model exposes features (it separated best on food5 on two fine-tunes,
    /// docs/results.md), else energy.
    /// </summary>
    public UnknownScoreKind? Method { get; init; }

    /// <summary>Covariance shrinkage α for the Mahalanobis score (see <see cref="MahalanobisParameters.Shrinkage"/>); null (default) estimates it (Ledoit–Wolf).</summary>
    public double? Shrinkage { get; init; }

    /// <summary>Which nearest training item's similarity the nearest-neighbour score uses (k). Default 10.</summary>
    public int Neighbours { get; init; } = NearestNeighbourParameters.DefaultK;

    /// <summary>At most this many training items are kept in the neighbour bank (a seeded sample beyond it, k scaled alike).</summary>
    public int MaxNeighbourBank { get; init; } = NearestNeighbourParameters.DefaultMaxBankItems;

    /// <summary>Checks the values; throws <see cref="ArgumentException"/> naming the option.</summary>
    public void Validate()
    {
        if (!(TargetAcceptance > 0 && TargetAcceptance <= 1)) throw new ArgumentException($"target acceptance must be in (0, 1], got {TargetAcceptance}");
        if (Neighbours < 1) throw new ArgumentException($"neighbours (k) must be at least 1, got {Neighbours}");
        if (MaxNeighbourBank < 1) throw new ArgumentException($"the neighbour bank cap must be at least 1, got {MaxNeighbourBank}");
        if (Shrinkage is < 0 or > 1 || (Shrinkage is { } s && double.IsNaN(s))) throw new ArgumentException($"shrinkage must be in [0, 1], got {Shrinkage}");
    }
}
