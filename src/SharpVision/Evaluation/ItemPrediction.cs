namespace SharpVision.Evaluation;

/// <summary>One item's outcome, as listed among the top losses and least-confident correct predictions.</summary>
public sealed class ItemPrediction
{
    /// <summary>Index of the item in the evaluated set.</summary>
    public int Index { get; init; }

    /// <summary>Item name (path).</summary>
    public string Name { get; init; } = "";

    /// <summary>True class id.</summary>
    public int Label { get; init; }

    /// <summary>True class name.</summary>
    public string LabelName { get; init; } = "";

    /// <summary>Predicted class id (highest probability; ties go to the lower id).</summary>
    public int Predicted { get; init; }

    /// <summary>Predicted class name.</summary>
    public string PredictedName { get; init; } = "";

    /// <summary>Probability of the predicted class.</summary>
    public double Confidence { get; init; }

    /// <summary>Probability given to the true class.</summary>
    public double TrueClassProbability { get; init; }

    /// <summary>Negative log-likelihood of the true class.</summary>
    public double Loss { get; init; }

    /// <summary>Whether the prediction is right.</summary>
    public bool Correct => Label == Predicted;
}
