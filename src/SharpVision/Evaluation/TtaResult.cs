namespace SharpVision.Evaluation;

/// <summary>Test-time augmentation combined: averaged probabilities, per-item spread and a summary.</summary>
public sealed class TtaResult
{
    /// <summary>Mean of the passes' probabilities per item (N rows of C); feed to <see cref="ClassificationMetrics.Compute"/>.</summary>
    public float[][] MeanProbabilities { get; init; } = [];

    /// <summary>Predicted class of the averaged probabilities per item.</summary>
    public int[] Predicted { get; init; } = [];

    /// <summary>Per item: population standard deviation across passes of the predicted class's probability.</summary>
    public double[] ConfidenceStd { get; init; } = [];

    /// <summary>Per item: fraction of passes whose own top class equals <see cref="Predicted"/>.</summary>
    public double[] Agreement { get; init; } = [];

    /// <summary>Summary statistics of the spread (and accuracies when labels were given).</summary>
    public TtaSummary Summary { get; init; } = new();
}
