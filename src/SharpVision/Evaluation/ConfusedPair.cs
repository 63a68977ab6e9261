namespace SharpVision.Evaluation;

/// <summary>An off-diagonal cell of the confusion matrix: <see cref="Count"/> items of <see cref="Actual"/> predicted as <see cref="Predicted"/>.</summary>
public sealed class ConfusedPair
{
    /// <summary>True class name.</summary>
    public string Actual { get; init; } = "";

    /// <summary>Predicted class name.</summary>
    public string Predicted { get; init; } = "";

    /// <summary>True class id.</summary>
    public int ActualIndex { get; init; }

    /// <summary>Predicted class id.</summary>
    public int PredictedIndex { get; init; }

    /// <summary>How many items.</summary>
    public int Count { get; init; }
}
