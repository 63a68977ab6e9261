namespace SharpVision.Evaluation;

/// <summary>Combines the probabilities of several test-time-augmented passes over the same items.</summary>
public static class TtaAggregation
{
    /// <summary>
    /// Averages the passes (each N rows of C softmax probabilities, items in the same order) and measures how much the
    /// passes disagree. With <paramref name="labels"/> the summary also holds the accuracy of the averaged prediction
    /// and of each pass.
    /// </summary>
    public static TtaResult Combine(IReadOnlyList<float[][]> perPassProbabilities, IReadOnlyList<int>? labels = null)
    {
        ArgumentNullException.ThrowIfNull(perPassProbabilities);
        var passes = perPassProbabilities.Count;
        if (passes == 0) throw new ArgumentException("TTA needs at least one pass", nameof(perPassProbabilities));
        var n = perPassProbabilities[0]?.Length ?? throw new ArgumentException("TTA pass 0 is null");
        if (n == 0) throw new ArgumentException("TTA pass 0 has no items");
        var c = perPassProbabilities[0][0]?.Length ?? throw new ArgumentException("TTA pass 0, item 0 is null");
        if (c == 0) throw new ArgumentException("TTA pass 0, item 0 has no classes");
        for (var p = 0; p < passes; p++)
        {
            var pass = perPassProbabilities[p] ?? throw new ArgumentException($"TTA pass {p} is null");
            if (pass.Length != n) throw new ArgumentException($"TTA pass {p} has {pass.Length} items, pass 0 has {n}");
            for (var i = 0; i < n; i++)
                if (pass[i] is null || pass[i].Length != c)
                    throw new ArgumentException($"TTA pass {p}, item {i} has {pass[i]?.Length ?? 0} probabilities, expected {c}");
        }
        if (labels is not null && labels.Count != n) throw new ArgumentException($"TTA got {labels.Count} labels for {n} items", nameof(labels));

        var mean = new float[n][];
        var predicted = new int[n];
        var std = new double[n];
        var agreement = new double[n];
        var passHits = new int[passes];
        for (var i = 0; i < n; i++)
        {
            var sum = new double[c];
            for (var p = 0; p < passes; p++)
            {
                var row = perPassProbabilities[p][i];
                for (var j = 0; j < c; j++) sum[j] += row[j];
                if (labels is not null && ArgMax(row) == labels[i]) passHits[p]++;
            }
            mean[i] = sum.Select(s => (float)(s / passes)).ToArray();
            var top = ArgMax(mean[i]);
            predicted[i] = top;
            double m = 0, m2 = 0;
            var agree = 0;
            for (var p = 0; p < passes; p++)
            {
                var row = perPassProbabilities[p][i];
                m += row[top];
                m2 += (double)row[top] * row[top];
                if (ArgMax(row) == top) agree++;
            }
            m /= passes;
            std[i] = Math.Sqrt(Math.Max(0, m2 / passes - m * m));
            agreement[i] = (double)agree / passes;
        }

        var sorted = std.OrderBy(v => v).ToArray();
        double? accuracy = labels is null ? null : (double)Enumerable.Range(0, n).Count(i => predicted[i] == labels[i]) / n;
        var passAccuracies = labels is null ? null : passHits.Select(h => (double)h / n).ToArray();
        return new TtaResult
        {
            MeanProbabilities = mean,
            Predicted = predicted,
            ConfidenceStd = std,
            Agreement = agreement,
            Summary = new TtaSummary
            {
                Passes = passes,
                Count = n,
                MeanConfidenceStd = std.Average(),
                MedianConfidenceStd = Percentile(sorted, 0.5),
                P90ConfidenceStd = Percentile(sorted, 0.9),
                MaxConfidenceStd = sorted[^1],
                MeanAgreement = agreement.Average(),
                FullAgreementFraction = (double)agreement.Count(a => a >= 1) / n,
                Accuracy = accuracy,
                PassAccuracies = passAccuracies,
                MeanPassAccuracy = passAccuracies?.Average(),
            },
        };
    }

    private static int ArgMax(float[] row)
    {
        var best = 0;
        for (var j = 1; j < row.Length; j++)
            if (row[j] > row[best]) best = j;
        return best;
    }

    /// <summary>Linear-interpolated percentile of sorted values (numpy's default).</summary>
    private static double Percentile(double[] sorted, double q)
    {
        var pos = q * (sorted.Length - 1);
        var lo = (int)Math.Floor(pos);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }
}
