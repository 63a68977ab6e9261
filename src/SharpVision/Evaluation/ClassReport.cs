namespace SharpVision.Evaluation;

/// <summary>Scores of one class. Precision is 0 for a class never predicted and recall 0 for a class never present (scikit-learn's zero_division=0).</summary>
public sealed class ClassReport
{
    /// <summary>Class id.</summary>
    public int Index { get; init; }

    /// <summary>Class name.</summary>
    public string Name { get; init; } = "";

    /// <summary>Items whose true class this is.</summary>
    public int Support { get; init; }

    /// <summary>Items predicted as this class.</summary>
    public int PredictedCount { get; init; }

    /// <summary>Items of this class predicted correctly (true positives).</summary>
    public int Correct { get; init; }

    /// <summary>Per-class accuracy: correct / support (the same as recall).</summary>
    public double Accuracy { get; init; }

    /// <summary>Correct / predicted count.</summary>
    public double Precision { get; init; }

    /// <summary>Correct / support.</summary>
    public double Recall { get; init; }

    /// <summary>Harmonic mean of precision and recall (0 when both are 0).</summary>
    public double F1 { get; init; }
}
