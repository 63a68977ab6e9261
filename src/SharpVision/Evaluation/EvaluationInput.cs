namespace SharpVision.Evaluation;

/// <summary>
/// What a classifier predicted on a labelled set: for N items and C classes, the true labels and the softmax
/// probabilities (N rows of C). This is all the metrics need; no model is involved.
/// </summary>
public sealed record EvaluationInput
{
    /// <summary>Class names, index = class id (C entries).</summary>
    public required IReadOnlyList<string> ClassNames { get; init; }

    /// <summary>True class id per item (N entries, each in 0..C-1).</summary>
    public required IReadOnlyList<int> Labels { get; init; }

    /// <summary>Softmax probabilities per item (N rows of C non-negative values summing to 1).</summary>
    public required IReadOnlyList<float[]> Probabilities { get; init; }

    /// <summary>Optional item names (usually file paths; N entries) shown in galleries and top-loss lists.</summary>
    public IReadOnlyList<string>? ItemNames { get; init; }

    /// <summary>Number of items.</summary>
    public int Count => Labels.Count;

    /// <summary>Number of classes.</summary>
    public int ClassCount => ClassNames.Count;

    /// <summary>The name of item <paramref name="index"/> (its path, or "#index" when no names were given).</summary>
    public string ItemName(int index) => ItemNames is null ? $"#{index}" : ItemNames[index];

    /// <summary>
    /// For each name of <paramref name="classes"/>, the column of that class in <see cref="Probabilities"/>; null when
    /// this input does not hold exactly the same set of classes.
    /// </summary>
    public int[]? ColumnsOf(IReadOnlyList<string> classes)
    {
        ArgumentNullException.ThrowIfNull(classes);
        if (classes.Count != ClassNames.Count) return null;
        var byName = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < ClassNames.Count; i++) byName.TryAdd(ClassNames[i], i);
        if (byName.Count != ClassNames.Count) return null;
        var columns = new int[classes.Count];
        for (var c = 0; c < classes.Count; c++)
        {
            if (!byName.Remove(classes[c], out columns[c])) return null; // unknown or repeated name
        }
        return columns;
    }

    /// <summary>
    /// The same predictions with the classes in the order of <paramref name="classes"/> (labels and probability
    /// columns permuted); null when this input does not hold exactly the same set of classes.
    /// </summary>
    public EvaluationInput? InClassOrder(IReadOnlyList<string> classes)
    {
        if (ColumnsOf(classes) is not { } columns) return null;
        var position = new int[columns.Length];
        for (var c = 0; c < columns.Length; c++) position[columns[c]] = c;
        return this with
        {
            ClassNames = classes,
            Labels = Labels.Select(l => position[l]).ToArray(),
            Probabilities = Probabilities.Select(row => columns.Select(j => row[j]).ToArray()).ToArray(),
        };
    }

    /// <summary>Checks shapes and values; throws <see cref="ArgumentException"/> naming the field and item at fault.</summary>
    public void Validate()
    {
        if (ClassNames is null || ClassNames.Count == 0) throw new ArgumentException("EvaluationInput.ClassNames must name at least one class");
        for (var c = 0; c < ClassNames.Count; c++)
            if (string.IsNullOrEmpty(ClassNames[c])) throw new ArgumentException($"EvaluationInput.ClassNames[{c}] is empty");
        if (Labels is null || Probabilities is null) throw new ArgumentException("EvaluationInput.Labels and Probabilities are required");
        if (Labels.Count == 0) throw new ArgumentException("EvaluationInput has no items (Labels is empty)");
        if (Probabilities.Count != Labels.Count)
            throw new ArgumentException($"EvaluationInput.Probabilities has {Probabilities.Count} rows for {Labels.Count} labels");
        if (ItemNames is not null && ItemNames.Count != Labels.Count)
            throw new ArgumentException($"EvaluationInput.ItemNames has {ItemNames.Count} entries for {Labels.Count} labels");
        var c2 = ClassNames.Count;
        for (var i = 0; i < Labels.Count; i++)
        {
            if ((uint)Labels[i] >= (uint)c2)
                throw new ArgumentException($"EvaluationInput.Labels[{i}] = {Labels[i]} is not a class id in 0..{c2 - 1} ({ItemName(i)})");
            var row = Probabilities[i] ?? throw new ArgumentException($"EvaluationInput.Probabilities[{i}] is null");
            if (row.Length != c2)
                throw new ArgumentException($"EvaluationInput.Probabilities[{i}] has {row.Length} values for {c2} classes ({ItemName(i)})");
            double sum = 0;
            foreach (var p in row)
            {
                if (!float.IsFinite(p) || p < 0)
                    throw new ArgumentException($"EvaluationInput.Probabilities[{i}] contains {p}; probabilities must be finite and ≥ 0 ({ItemName(i)})");
                sum += p;
            }
            if (Math.Abs(sum - 1) > 1e-2)
                throw new ArgumentException($"EvaluationInput.Probabilities[{i}] sums to {sum:G4}, not 1: pass softmax probabilities, not logits ({ItemName(i)})");
        }
    }
}
