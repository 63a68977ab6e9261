namespace SharpVision.Evaluation;

/// <summary>One confidence interval (Lower, Upper] of the reliability diagram (the first bin also holds confidence 0).</summary>
public sealed class CalibrationBin
{
    /// <summary>Lower edge (exclusive, except 0).</summary>
    public double Lower { get; init; }

    /// <summary>Upper edge (inclusive).</summary>
    public double Upper { get; init; }

    /// <summary>Items whose confidence falls in the bin.</summary>
    public int Count { get; init; }

    /// <summary>Their mean confidence (0 for an empty bin).</summary>
    public double MeanConfidence { get; init; }

    /// <summary>Their accuracy (0 for an empty bin).</summary>
    public double Accuracy { get; init; }

    /// <summary>Accuracy − mean confidence: negative means over-confident.</summary>
    public double Gap => Count == 0 ? 0 : Accuracy - MeanConfidence;
}
