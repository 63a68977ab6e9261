namespace SharpVision.Evaluation;

/// <summary>
/// A model against the first model of a comparison on the same items: the items only one of them gets right, and
/// McNemar's exact test on those discordant items (two-sided binomial test with p = ½). Two models that share most
/// of their mistakes can differ significantly with accuracies a standard error apart, and vice versa: the paired
/// test is the one to read when asking "is this model really better on these images?".
/// </summary>
/// <param name="OnlyThisRight">Items this model gets right and the first model gets wrong.</param>
/// <param name="OnlyFirstRight">Items the first model gets right and this model gets wrong.</param>
/// <param name="PValue">Two-sided exact McNemar p-value (1 when no item is discordant).</param>
public sealed record PairedComparison(int OnlyThisRight, int OnlyFirstRight, double PValue)
{
    /// <summary>Compares per-item correctness of a model with that of the first model.</summary>
    public static PairedComparison Of(IReadOnlyList<bool> thisRight, IReadOnlyList<bool> firstRight)
    {
        ArgumentNullException.ThrowIfNull(thisRight);
        ArgumentNullException.ThrowIfNull(firstRight);
        if (thisRight.Count != firstRight.Count) throw new ArgumentException($"paired comparison: {thisRight.Count} items against {firstRight.Count}");
        int b = 0, c = 0;
        for (var i = 0; i < thisRight.Count; i++)
        {
            if (thisRight[i] && !firstRight[i]) b++;
            else if (!thisRight[i] && firstRight[i]) c++;
        }
        return new PairedComparison(b, c, McNemarExactP(b, c));
    }

    /// <summary>Two-sided exact McNemar p-value: min(1, 2·P(X ≤ min(b, c))) with X ~ Binomial(b + c, ½).</summary>
    public static double McNemarExactP(int b, int c)
    {
        if (b < 0 || c < 0) throw new ArgumentOutOfRangeException(b < 0 ? nameof(b) : nameof(c), "counts must be ≥ 0");
        var n = b + c;
        if (n == 0) return 1;
        // Log space: 2^-n underflows for n > 1074.
        var logPmf = -n * Math.Log(2);
        var tail = 0.0;
        for (var k = 0; k <= Math.Min(b, c); k++)
        {
            tail += Math.Exp(logPmf);
            logPmf += Math.Log(n - k) - Math.Log(k + 1);
        }
        return Math.Min(1, 2 * tail);
    }
}
