using SharpVision.Data;

namespace SharpVision.Evaluation;

/// <summary>What <see cref="ModelEvaluator.Evaluate"/> found: the predictions, the metrics and, with TTA, the combined passes.</summary>
public sealed class ModelEvaluation
{
    /// <summary>Labels and probabilities of the plain pass, in the model's class order (items that could not be decoded are left out).</summary>
    public required EvaluationInput Input { get; init; }

    /// <summary>Metrics of the plain pass.</summary>
    public required EvaluationResult Result { get; init; }

    /// <summary>Dataset index of each evaluated item (item i of <see cref="Input"/> is dataset image DatasetIndices[i]).</summary>
    public required int[] DatasetIndices { get; init; }

    /// <summary>The plain pass and the augmented passes combined; null without TTA.</summary>
    public TtaResult? Tta { get; init; }

    /// <summary>Every TTA pass's probabilities (pass 0 is the plain one), item by item; null without TTA. Kept so that
    /// evaluations of several folds can be pooled (<see cref="PooledEvaluation"/>).</summary>
    public IReadOnlyList<float[][]>? TtaPasses { get; init; }

    /// <summary>Metrics of the averaged TTA prediction; null without TTA.</summary>
    public EvaluationResult? TtaResult { get; init; }

    /// <summary>Files of the dataset left out (rejected when opened or failed to decode), with reasons.</summary>
    public IReadOnlyList<SkippedFile> Skipped { get; init; } = [];

    /// <summary>Classes of the model that have no image in the data (their support is 0).</summary>
    public IReadOnlyList<string> ClassesWithoutImages { get; init; } = [];

    /// <summary>
    /// Computes the metrics of <paramref name="input"/> (the plain pass) and, when <paramref name="ttaPasses"/> are given
    /// (pass 0 the plain one), the TTA combination and its metrics.
    /// </summary>
    internal static ModelEvaluation FromPredictions(EvaluationInput input, int[] datasetIndices, float[][][]? ttaPasses,
        IReadOnlyList<SkippedFile> skipped, EvaluationOptions? options)
    {
        TtaResult? tta = null;
        EvaluationResult? ttaMetrics = null;
        if (ttaPasses is not null)
        {
            tta = TtaAggregation.Combine(ttaPasses, input.Labels);
            ttaMetrics = ClassificationMetrics.Compute(input with { Probabilities = tta.MeanProbabilities }, options);
        }
        var present = new HashSet<int>(input.Labels);
        return new ModelEvaluation
        {
            Input = input,
            Result = ClassificationMetrics.Compute(input, options),
            DatasetIndices = datasetIndices,
            Tta = tta,
            TtaResult = ttaMetrics,
            TtaPasses = ttaPasses,
            Skipped = skipped,
            ClassesWithoutImages = input.ClassNames.Where((_, c) => !present.Contains(c)).ToArray(),
        };
    }
}
