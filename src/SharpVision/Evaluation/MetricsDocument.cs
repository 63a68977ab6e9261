namespace SharpVision.Evaluation;

/// <summary>The content of metrics.json: the evaluation and, when available, the TTA summary and a model comparison.</summary>
public sealed class MetricsDocument
{
    /// <summary>Format version of metrics.json; bumped when a property changes meaning or is removed.</summary>
    public int SchemaVersion { get; init; } = 1;

    /// <summary>Free-form title (model and data set).</summary>
    public string? Title { get; init; }

    /// <summary>The evaluation.</summary>
    public EvaluationResult Evaluation { get; init; } = new();

    /// <summary>Test-time augmentation summary, when TTA was run.</summary>
    public TtaSummary? Tta { get; init; }

    /// <summary>Model comparison, when several models were evaluated.</summary>
    public ModelComparison? Comparison { get; init; }

    /// <summary>Metrics of the models' mean prediction, when an ensemble was measured.</summary>
    public EvaluationResult? Ensemble { get; init; }
}
