namespace SharpVision.Evaluation;

/// <summary>Threshold-free and threshold metrics of an open-set score (higher = more likely unknown).</summary>
public static class OpenSetMetrics
{
    /// <summary>
    /// Area under the ROC curve of telling <paramref name="unknownScores"/> from <paramref name="knownScores"/>: the
    /// probability that a random unknown item scores above a random known one (ties count half). 1 is perfect, 0.5 chance.
    /// </summary>
    /// <exception cref="ArgumentException">Either set is empty.</exception>
    public static double Auroc(IReadOnlyList<double> knownScores, IReadOnlyList<double> unknownScores)
    {
        ArgumentNullException.ThrowIfNull(knownScores);
        ArgumentNullException.ThrowIfNull(unknownScores);
        if (knownScores.Count == 0 || unknownScores.Count == 0) throw new ArgumentException("AUROC needs at least one known and one unknown score");
        // Mann–Whitney U through ranks (mid-ranks for ties).
        var all = knownScores.Select(s => (Score: s, Unknown: false)).Concat(unknownScores.Select(s => (Score: s, Unknown: true)))
            .OrderBy(x => x.Score).ToArray();
        double rankSumUnknown = 0;
        for (var i = 0; i < all.Length;)
        {
            var j = i;
            while (j + 1 < all.Length && all[j + 1].Score == all[i].Score) j++;
            var midRank = (i + j) / 2.0 + 1;
            for (var k = i; k <= j; k++)
                if (all[k].Unknown) rankSumUnknown += midRank;
            i = j + 1;
        }
        double nu = unknownScores.Count, nk = knownScores.Count;
        return (rankSumUnknown - nu * (nu + 1) / 2) / (nu * nk);
    }

    /// <summary>The share of <paramref name="scores"/> at or below <paramref name="threshold"/> (accepted as known); 0 for none.</summary>
    public static double AcceptedShare(IReadOnlyList<double> scores, double threshold) =>
        scores.Count == 0 ? 0 : scores.Count(s => s <= threshold) / (double)scores.Count;

    /// <summary>
    /// The smallest threshold that accepts at least <paramref name="targetAcceptance"/> of <paramref name="scores"/>
    /// (scores at or below it are accepted).
    /// </summary>
    /// <exception cref="ArgumentException">No scores, or a target outside (0, 1].</exception>
    public static double ThresholdFor(IReadOnlyList<double> scores, double targetAcceptance)
    {
        ArgumentNullException.ThrowIfNull(scores);
        if (scores.Count == 0) throw new ArgumentException("no scores to choose a threshold from");
        if (!(targetAcceptance > 0 && targetAcceptance <= 1)) throw new ArgumentException($"the target acceptance must be in (0, 1], got {targetAcceptance}");
        var sorted = scores.Order().ToArray();
        var index = (int)Math.Ceiling(targetAcceptance * sorted.Length - 1e-9) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Length - 1)];
    }
}
