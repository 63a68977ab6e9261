using System.Globalization;
using System.Text;

namespace SharpVision.Evaluation;

/// <summary>
/// Several models' results on the same data side by side (accuracy, top-k, macro F1, ECE, loss, per-class accuracy),
/// each later model paired with the first (<see cref="PairedComparison"/>: the items only one gets right, McNemar's p).
/// </summary>
public sealed class ModelComparison
{
    /// <summary>The shared class names.</summary>
    public IReadOnlyList<string> ClassNames { get; init; } = [];

    /// <summary>One row per model, in the order given.</summary>
    public ModelComparisonRow[] Rows { get; init; } = [];

    /// <summary>
    /// Builds the table. All results must cover the same classes and the same number of items; throws
    /// <see cref="ArgumentException"/> naming the model that differs.
    /// </summary>
    public static ModelComparison Create(IReadOnlyList<(string Name, EvaluationResult Result)> models)
    {
        ArgumentNullException.ThrowIfNull(models);
        if (models.Count == 0) throw new ArgumentException("a comparison needs at least one model", nameof(models));
        var first = models[0].Result ?? throw new ArgumentException($"model '{models[0].Name}' has no result");
        foreach (var (name, r) in models)
        {
            if (r is null) throw new ArgumentException($"model '{name}' has no result");
            if (!r.ClassNames.SequenceEqual(first.ClassNames))
                throw new ArgumentException($"model '{name}' was evaluated on classes [{string.Join(", ", r.ClassNames)}], model '{models[0].Name}' on [{string.Join(", ", first.ClassNames)}]");
            if (r.Count != first.Count)
                throw new ArgumentException($"model '{name}' was evaluated on {r.Count} items, model '{models[0].Name}' on {first.Count}: compare on the same data");
        }
        var firstRight = Right(first);
        return new ModelComparison
        {
            ClassNames = first.ClassNames.ToArray(),
            Rows = models.Select((m, i) => new ModelComparisonRow
            {
                Name = m.Name,
                Accuracy = m.Result.Accuracy,
                TopK = m.Result.TopK,
                TopKAccuracy = m.Result.TopKAccuracy,
                MacroF1 = m.Result.MacroAverage.F1,
                Ece = m.Result.Calibration.ExpectedCalibrationError,
                Loss = m.Result.Loss,
                PerClassAccuracy = m.Result.Classes.Select(c => c.Accuracy).ToArray(),
                VersusFirst = i == 0 ? null : PairedComparison.Of(Right(m.Result), firstRight),
            }).ToArray(),
        };
    }

    private static bool[] Right(EvaluationResult r) => r.Labels.Select((label, i) => r.Predicted[i] == label).ToArray();

    /// <summary>
    /// The table as GitHub Markdown: one row per model, one column per class's accuracy, then the paired comparison
    /// with the first model (items only this one / only the first gets right, McNemar's exact p).
    /// </summary>
    public string ToMarkdown()
    {
        var sb = new StringBuilder();
        var k = Rows.Length > 0 ? Rows[0].TopK : 5;
        sb.Append($"| model | accuracy | top-{k} | macro F1 | ECE | loss |");
        foreach (var c in ClassNames) sb.Append(' ').Append(c.Replace("|", "\\|")).Append(" |");
        sb.AppendLine(" vs first (+/−) | McNemar p |");
        sb.Append("|---|---:|---:|---:|---:|---:|");
        foreach (var _ in ClassNames) sb.Append("---:|");
        sb.AppendLine("---:|---:|");
        foreach (var r in Rows)
        {
            sb.Append(CultureInfo.InvariantCulture, $"| {r.Name.Replace("|", "\\|")} | {Percent(r.Accuracy, 2)} | {Percent(r.TopKAccuracy, 2)} | {r.MacroF1:F4} | {r.Ece:F4} | {r.Loss:F4} |");
            foreach (var a in r.PerClassAccuracy) sb.Append(' ').Append(Percent(a, 1)).Append(" |");
            sb.AppendLine(r.VersusFirst is { } v ? string.Create(CultureInfo.InvariantCulture, $" +{v.OnlyThisRight}/−{v.OnlyFirstRight} | {FormatP(v.PValue)} |") : " — | — |");
        }
        return sb.ToString();
    }

    /// <summary>A p-value to four decimals, or "&lt; 0.0001".</summary>
    public static string FormatP(double p) => p < 1e-4 ? "< 0.0001" : p.ToString("0.####", CultureInfo.InvariantCulture);

    private static string Percent(double v, int decimals) => (v * 100).ToString("F" + decimals, CultureInfo.InvariantCulture) + "%";
}
