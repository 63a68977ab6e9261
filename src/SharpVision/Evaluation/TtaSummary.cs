namespace SharpVision.Evaluation;

/// <summary>
/// How stable predictions are under test-time augmentation ("certainty on augmented test data"): the spread of the
/// predicted class's confidence across passes and how often passes agree with the averaged prediction.
/// </summary>
public sealed class TtaSummary
{
    /// <summary>Number of augmented passes combined.</summary>
    public int Passes { get; init; }

    /// <summary>Number of items.</summary>
    public int Count { get; init; }

    /// <summary>Mean over items of the standard deviation (across passes) of the predicted class's probability.</summary>
    public double MeanConfidenceStd { get; init; }

    /// <summary>Median of that standard deviation.</summary>
    public double MedianConfidenceStd { get; init; }

    /// <summary>90th percentile of that standard deviation.</summary>
    public double P90ConfidenceStd { get; init; }

    /// <summary>Largest standard deviation.</summary>
    public double MaxConfidenceStd { get; init; }

    /// <summary>Mean over items of the fraction of passes whose top class equals the averaged prediction.</summary>
    public double MeanAgreement { get; init; }

    /// <summary>Fraction of items on which every pass agrees.</summary>
    public double FullAgreementFraction { get; init; }

    /// <summary>Accuracy of the averaged prediction (null without labels).</summary>
    public double? Accuracy { get; init; }

    /// <summary>Accuracy of each pass alone (null without labels).</summary>
    public double[]? PassAccuracies { get; init; }

    /// <summary>Mean of <see cref="PassAccuracies"/>: the gain of averaging is Accuracy − this (null without labels).</summary>
    public double? MeanPassAccuracy { get; init; }
}
