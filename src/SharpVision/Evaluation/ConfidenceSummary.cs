namespace SharpVision.Evaluation;

/// <summary>How sure the model was (confidence = the highest softmax probability), split by right and wrong.</summary>
public sealed class ConfidenceSummary
{
    /// <summary>The threshold separating confident from unsure predictions.</summary>
    public double Threshold { get; init; }

    /// <summary>Mean confidence over all items.</summary>
    public double MeanConfidence { get; init; }

    /// <summary>Mean confidence of correct predictions (null when none is correct).</summary>
    public double? MeanConfidenceCorrect { get; init; }

    /// <summary>Mean confidence of wrong predictions (null when none is wrong).</summary>
    public double? MeanConfidenceWrong { get; init; }

    /// <summary>The four quadrants: confident_correct, unsure_correct, confident_wrong, unsure_wrong.</summary>
    public ConfidenceQuadrant[] Quadrants { get; init; } = [];

    /// <summary>The quadrant with the given correctness and confidence.</summary>
    public ConfidenceQuadrant Quadrant(bool correct, bool confident) => Quadrants.Single(q => q.Correct == correct && q.Confident == confident);
}
