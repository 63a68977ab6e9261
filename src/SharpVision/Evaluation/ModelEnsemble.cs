namespace SharpVision.Evaluation;

/// <summary>
/// Averages the class probabilities of several models evaluated on the same images (a soft-voting ensemble) and
/// measures the average like a single model. Each model contributes its test-time-augmented mean when it was
/// evaluated with TTA, its plain probabilities otherwise. Models may list the same classes in different orders;
/// the first model's order is used.
/// </summary>
public static class ModelEnsemble
{
    /// <summary>The evaluation input of the averaged prediction (labels and item names of the first model).</summary>
    /// <exception cref="ArgumentException">Fewer than two models, different class sets, or different evaluated images.</exception>
    public static EvaluationInput Average(IReadOnlyList<ModelEvaluation> evaluations)
    {
        ArgumentNullException.ThrowIfNull(evaluations);
        if (evaluations.Count < 2) throw new ArgumentException($"an ensemble needs at least two models, got {evaluations.Count}");
        var first = evaluations[0];
        var classes = first.Input.ClassNames;
        var n = first.Input.Count;
        var sum = new double[n, classes.Count];
        for (var m = 0; m < evaluations.Count; m++)
        {
            var e = evaluations[m];
            if (!e.DatasetIndices.SequenceEqual(first.DatasetIndices))
                throw new ArgumentException($"model {m + 1} was evaluated on other images than model 1 ({e.DatasetIndices.Length} vs {n}); an ensemble needs the same images");
            var column = e.Input.ColumnsOf(classes) ?? throw new ArgumentException(
                $"model {m + 1} has classes [{string.Join(", ", e.Input.ClassNames)}], model 1 [{string.Join(", ", classes)}]; an ensemble needs the same classes");
            var probabilities = e.Tta?.MeanProbabilities ?? e.Input.Probabilities;
            for (var i = 0; i < n; i++)
            {
                var row = probabilities[i];
                for (var c = 0; c < classes.Count; c++) sum[i, c] += row[column[c]];
            }
        }
        var mean = new float[n][];
        for (var i = 0; i < n; i++)
        {
            mean[i] = new float[classes.Count];
            for (var c = 0; c < classes.Count; c++) mean[i][c] = (float)(sum[i, c] / evaluations.Count);
        }
        return first.Input with { Probabilities = mean };
    }

    /// <summary>Metrics of the averaged prediction.</summary>
    public static EvaluationResult Evaluate(IReadOnlyList<ModelEvaluation> evaluations, EvaluationOptions? options = null) =>
        ClassificationMetrics.Compute(Average(evaluations), options);
}
