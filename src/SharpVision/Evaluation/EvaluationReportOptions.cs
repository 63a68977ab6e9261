using SharpVision.Imaging;
using SharpVision.Reports;

namespace SharpVision.Evaluation;

/// <summary>Optional content and settings of an <see cref="EvaluationReport"/>.</summary>
public sealed record EvaluationReportOptions
{
    /// <summary>Page and metrics.json title.</summary>
    public string Title { get; init; } = "Evaluation report";

    /// <summary>Key/value lines shown in the summary (model, checkpoint, data set, date, …), in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>>? Details { get; init; }

    /// <summary>Per-epoch training history, e.g. {"loss", "val_loss", "accuracy", "val_accuracy"}: adds learning curves.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<double>>? History { get; init; }

    /// <summary>What the training-health monitor found during the run (empty: nothing; null: not monitored): adds "Training health".</summary>
    public IReadOnlyList<Training.Health.HealthFinding>? TrainingHealth { get; init; }

    /// <summary>The run's learning-rate finder sweep, if one was made: adds its loss curve.</summary>
    public Training.LearningRates.LearningRateFinderResult? LearningRateFinder { get; init; }

    /// <summary>Loads item <c>i</c>'s image for the galleries (null or an exception draws a placeholder). Without it there are no galleries.</summary>
    public Func<int, RgbImage?>? LoadImage { get; init; }

    /// <summary>Test-time augmentation result on the same items: adds the TTA section.</summary>
    public TtaResult? Tta { get; init; }

    /// <summary>Several models on the same data: adds the comparison table.</summary>
    public ModelComparison? Comparison { get; init; }

    /// <summary>Open-set figures (known against unknown items): adds the "Unknown items" section.</summary>
    public UnknownEvaluation? Unknown { get; init; }

    /// <summary>Thumbnails per gallery. Default 18.</summary>
    public int GalleryCount { get; init; } = 18;

    /// <summary>Thumbnail size in pixels. Default 96.</summary>
    public int ThumbnailSize { get; init; } = 96;

    /// <summary>Rows in the most-confused and top-loss tables. Default 20.</summary>
    public int TableRows { get; init; } = 20;
}
