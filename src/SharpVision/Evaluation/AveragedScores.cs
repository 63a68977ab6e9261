namespace SharpVision.Evaluation;

/// <summary>Precision, recall and F1 averaged over classes (macro: plain mean; weighted: by support).</summary>
public sealed class AveragedScores
{
    /// <summary>Averaged precision.</summary>
    public double Precision { get; init; }

    /// <summary>Averaged recall.</summary>
    public double Recall { get; init; }

    /// <summary>Averaged F1 (the mean of per-class F1s, as in scikit-learn).</summary>
    public double F1 { get; init; }
}
