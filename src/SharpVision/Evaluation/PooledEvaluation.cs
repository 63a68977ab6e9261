namespace SharpVision.Evaluation;

/// <summary>
/// Joins the evaluations of disjoint parts of a data set into one, as if a single model had scored them all: the
/// folds of a cross-validation, each scored by the model that did not train on it. Every image then counts once,
/// so a recipe's pooled accuracy (and a paired comparison of two recipes) rests on all the folds' images, not on
/// one fold's.
/// </summary>
public static class PooledEvaluation
{
    /// <summary>
    /// Concatenates <paramref name="parts"/> in order and recomputes every metric (and the TTA summary) on the whole.
    /// <paramref name="partSizes"/> gives the size of each part's data set, so that each part's
    /// <see cref="ModelEvaluation.DatasetIndices"/> become indices into the parts' data sets laid end to end.
    /// Parts must share the class names (another order is re-ordered to the first's) and all or none must have TTA,
    /// with the same number of passes.
    /// </summary>
    public static ModelEvaluation Combine(IReadOnlyList<ModelEvaluation> parts, IReadOnlyList<int> partSizes, EvaluationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(parts);
        ArgumentNullException.ThrowIfNull(partSizes);
        if (parts.Count == 0) throw new ArgumentException("nothing to pool", nameof(parts));
        if (partSizes.Count != parts.Count) throw new ArgumentException($"{parts.Count} parts but {partSizes.Count} part sizes", nameof(partSizes));
        var classes = parts[0].Input.ClassNames;
        var withTta = parts[0].TtaPasses is { Count: > 0 } firstPasses ? firstPasses.Count : 0;

        var labels = new List<int>();
        var probabilities = new List<float[]>();
        var names = new List<string>();
        var indices = new List<int>();
        var passes = Enumerable.Range(0, withTta).Select(_ => new List<float[]>()).ToArray();
        var skipped = new List<Data.SkippedFile>();
        var offset = 0;
        for (var k = 0; k < parts.Count; k++)
        {
            var part = parts[k] ?? throw new ArgumentException($"part {k} is null", nameof(parts));
            var columns = part.Input.ColumnsOf(classes) ?? throw new ArgumentException(
                $"part {k} has classes [{string.Join(", ", part.Input.ClassNames)}], part 0 [{string.Join(", ", classes)}]; pooled parts need the same classes");
            var partPasses = part.TtaPasses?.Count ?? 0;
            if (partPasses != withTta)
                throw new ArgumentException($"part {k} has {partPasses} TTA passes, part 0 {withTta}; pool evaluations made with the same --tta");
            if (partSizes[k] < 0) throw new ArgumentOutOfRangeException(nameof(partSizes), partSizes[k], $"part {k}'s size must be ≥ 0");
            for (var i = 0; i < part.Input.Count; i++)
            {
                var modelLabel = part.Input.Labels[i];
                labels.Add(Array.IndexOf(columns, modelLabel));
                probabilities.Add(Reorder(part.Input.Probabilities[i], columns));
                names.Add(part.Input.ItemName(i));
                if (part.DatasetIndices[i] >= partSizes[k])
                    throw new ArgumentException($"part {k} refers to image {part.DatasetIndices[i]} of a part of {partSizes[k]} images", nameof(partSizes));
                indices.Add(offset + part.DatasetIndices[i]);
                for (var p = 0; p < withTta; p++) passes[p].Add(Reorder(part.TtaPasses![p][i], columns));
            }
            foreach (var s in part.Skipped)
                if (!skipped.Contains(s)) skipped.Add(s);
            offset += partSizes[k];
        }

        var input = new EvaluationInput { ClassNames = classes, Labels = labels, Probabilities = probabilities, ItemNames = names };
        return ModelEvaluation.FromPredictions(input, indices.ToArray(), withTta > 0 ? passes.Select(p => p.ToArray()).ToArray() : null, skipped, options);
    }

    // columns[c] is the part's column of pooled class c; a part in the same order passes through unchanged.
    private static float[] Reorder(float[] row, int[] columns)
    {
        var same = true;
        for (var c = 0; c < columns.Length && same; c++) same = columns[c] == c;
        if (same) return row;
        var reordered = new float[columns.Length];
        for (var c = 0; c < columns.Length; c++) reordered[c] = row[columns[c]];
        return reordered;
    }
}
