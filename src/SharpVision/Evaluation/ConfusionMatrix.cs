namespace SharpVision.Evaluation;

/// <summary>Counts of (actual, predicted) pairs: row = true class, column = predicted class.</summary>
public sealed class ConfusionMatrix
{
    /// <summary>Class names for rows and columns.</summary>
    public IReadOnlyList<string> ClassNames { get; init; } = [];

    /// <summary>Counts[actual][predicted].</summary>
    public int[][] Counts { get; init; } = [];

    /// <summary>Each row divided by its sum (the per-class recall spread); all zeros for a class with no items.</summary>
    public double[][] Normalized { get; init; } = [];
}
