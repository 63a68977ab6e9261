namespace SharpVision.Evaluation;

/// <summary>One model's line in a <see cref="ModelComparison"/>.</summary>
public sealed class ModelComparisonRow
{
    /// <summary>Model name as given.</summary>
    public string Name { get; init; } = "";

    /// <summary>Top-1 accuracy.</summary>
    public double Accuracy { get; init; }

    /// <summary>The k of <see cref="TopKAccuracy"/>.</summary>
    public int TopK { get; init; }

    /// <summary>Top-k accuracy.</summary>
    public double TopKAccuracy { get; init; }

    /// <summary>Macro-averaged F1.</summary>
    public double MacroF1 { get; init; }

    /// <summary>Expected calibration error.</summary>
    public double Ece { get; init; }

    /// <summary>Mean loss.</summary>
    public double Loss { get; init; }

    /// <summary>Paired comparison with the first model on the same items (null for the first model itself).</summary>
    public PairedComparison? VersusFirst { get; init; }

    /// <summary>Per-class accuracy, in class order.</summary>
    public double[] PerClassAccuracy { get; init; } = [];
}
