namespace SharpVision.Evaluation;

/// <summary>Everything <see cref="ClassificationMetrics.Compute"/> measures on one labelled set. Serialises to metrics.json via <see cref="MetricsJson"/>.</summary>
public sealed class EvaluationResult
{
    /// <summary>Class names, index = class id.</summary>
    public IReadOnlyList<string> ClassNames { get; init; } = [];

    /// <summary>Number of items evaluated.</summary>
    public int Count { get; init; }

    /// <summary>Mean negative log-likelihood of the true class (cross-entropy on the probabilities; p clamped at 1e-12).</summary>
    public double Loss { get; init; }

    /// <summary>Fraction of items whose highest-probability class is the true one.</summary>
    public double Accuracy { get; init; }

    /// <summary>The k actually used for <see cref="TopKAccuracy"/> (the requested k clamped to the class count).</summary>
    public int TopK { get; init; }

    /// <summary>Fraction of items whose true class is among the k most probable.</summary>
    public double TopKAccuracy { get; init; }

    /// <summary>Per-class support, accuracy, precision, recall, F1.</summary>
    public ClassReport[] Classes { get; init; } = [];

    /// <summary>Unweighted mean over the classes that have images here (classes without any are left out: their recall and F1 are undefined).</summary>
    public AveragedScores MacroAverage { get; init; } = new();

    /// <summary>Support-weighted mean over classes.</summary>
    public AveragedScores WeightedAverage { get; init; } = new();

    /// <summary>The confusion matrix (counts and row-normalised).</summary>
    public ConfusionMatrix Confusion { get; init; } = new();

    /// <summary>Off-diagonal pairs by descending count (fastai's most_confused).</summary>
    public ConfusedPair[] MostConfused { get; init; } = [];

    /// <summary>Confidence of right and wrong predictions and the four quadrants.</summary>
    public ConfidenceSummary Confidence { get; init; } = new();

    /// <summary>Expected calibration error and reliability bins.</summary>
    public CalibrationResult Calibration { get; init; } = new();

    /// <summary>Items with the highest loss, highest first (fastai's top_losses).</summary>
    public ItemPrediction[] TopLosses { get; init; } = [];

    /// <summary>Correct predictions with the lowest confidence, lowest first.</summary>
    public ItemPrediction[] LeastConfidentCorrect { get; init; } = [];

    /// <summary>Per item: the true class id.</summary>
    public int[] Labels { get; init; } = [];

    /// <summary>Per item: the predicted class id.</summary>
    public int[] Predicted { get; init; } = [];

    /// <summary>Per item: the confidence (probability of the predicted class).</summary>
    public double[] Confidences { get; init; } = [];

    /// <summary>Per item: its name (path).</summary>
    public string[] ItemNames { get; init; } = [];
}
