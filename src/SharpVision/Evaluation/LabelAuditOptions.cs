namespace SharpVision.Evaluation;

/// <summary>How <see cref="LabelAudit"/> estimates out-of-fold class probabilities from cached features.</summary>
public sealed record LabelAuditOptions
{
    /// <summary>Cross-validation folds (each image is scored by a head that never saw it); at least 2.</summary>
    public int Folds { get; init; } = 5;

    /// <summary>Full-batch optimisation steps of each fold's linear head (standardised features, Adam).</summary>
    public int Steps { get; init; } = 200;

    /// <summary>Learning rate of the heads.</summary>
    public double LearningRate { get; init; } = 0.01;

    /// <summary>
    /// L2 penalty of the heads' weights (coupled, as torch.optim.Adam's weight_decay): the regulariser that keeps the
    /// out-of-fold probabilities honest. Null (the default): the candidate with the lowest out-of-fold log-loss.
    /// </summary>
    public double? L2 { get; init; }

    /// <summary>The penalties tried when <see cref="L2"/> is null.</summary>
    public IReadOnlyList<double> L2Candidates { get; init; } = new[] { 0.01, 0.03, 0.1, 0.3, 1, 3 };

    /// <summary>Seed of the fold assignment.</summary>
    public ulong Seed { get; init; }

    /// <summary>Checks the values.</summary>
    internal void Validate()
    {
        if (Folds < 2) throw new ArgumentOutOfRangeException(nameof(Folds), Folds, "label audit: at least 2 folds are needed");
        if (Steps < 1) throw new ArgumentOutOfRangeException(nameof(Steps), Steps, "label audit: at least 1 step");
        if (!(LearningRate > 0)) throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "label audit: the learning rate must be positive");
        if (L2 is { } l2 && !(l2 >= 0)) throw new ArgumentOutOfRangeException(nameof(L2), L2, "label audit: the L2 penalty must be ≥ 0");
        if (L2 is null && (L2Candidates is not { Count: > 0 } || L2Candidates.Any(c => !(c >= 0))))
            throw new ArgumentException("label audit: L2Candidates must hold at least one penalty ≥ 0", nameof(L2Candidates));
    }
}
