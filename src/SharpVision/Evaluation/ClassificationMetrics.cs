namespace SharpVision.Evaluation;

/// <summary>
/// Computes the metrics a person reads to judge a classifier — accuracy, top-k, loss, per-class precision/recall/F1,
/// the confusion matrix and its most confused pairs, confidence quadrants, calibration and the worst items — from
/// labels and softmax probabilities.
/// </summary>
public static class ClassificationMetrics
{
    private const double MinProbability = 1e-12;

    /// <summary>Computes all metrics. Throws <see cref="ArgumentException"/> for malformed input or options.</summary>
    public static EvaluationResult Compute(EvaluationInput input, EvaluationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        options ??= new EvaluationOptions();
        input.Validate();
        options.Validate();

        var n = input.Count;
        var c = input.ClassCount;
        var k = Math.Min(options.TopK, c);
        var predicted = new int[n];
        var confidence = new double[n];
        var loss = new double[n];
        var counts = new int[c][];
        for (var i = 0; i < c; i++) counts[i] = new int[c];
        double lossSum = 0;
        var topKHits = 0;
        for (var i = 0; i < n; i++)
        {
            var row = input.Probabilities[i];
            var label = input.Labels[i];
            var best = 0;
            for (var j = 1; j < c; j++)
                if (row[j] > row[best]) best = j;
            predicted[i] = best;
            confidence[i] = row[best];
            loss[i] = -Math.Log(Math.Max(row[label], MinProbability));
            lossSum += loss[i];
            counts[label][best]++;
            // Rank of the true class: classes strictly more probable, plus equal ones with a lower id (stable order).
            var rank = 0;
            for (var j = 0; j < c; j++)
                if (row[j] > row[label] || (row[j] == row[label] && j < label)) rank++;
            if (rank < k) topKHits++;
        }

        var classes = PerClass(input.ClassNames, counts);
        var correctTotal = classes.Sum(r => r.Correct);
        return new EvaluationResult
        {
            ClassNames = input.ClassNames.ToArray(),
            Count = n,
            Loss = lossSum / n,
            Accuracy = (double)correctTotal / n,
            TopK = k,
            TopKAccuracy = (double)topKHits / n,
            Classes = classes,
            // Classes without images (a subset of the data) have no recall or F1: they are left out, not counted as 0.
            MacroAverage = new AveragedScores
            {
                Precision = Average(classes, r => r.Precision),
                Recall = Average(classes, r => r.Recall),
                F1 = Average(classes, r => r.F1),
            },
            WeightedAverage = new AveragedScores
            {
                Precision = classes.Sum(r => r.Precision * r.Support) / n,
                Recall = classes.Sum(r => r.Recall * r.Support) / n,
                F1 = classes.Sum(r => r.F1 * r.Support) / n,
            },
            Confusion = new ConfusionMatrix
            {
                ClassNames = input.ClassNames.ToArray(),
                Counts = counts,
                Normalized = counts.Select(r =>
                {
                    var s = r.Sum();
                    return r.Select(v => s == 0 ? 0 : (double)v / s).ToArray();
                }).ToArray(),
            },
            MostConfused = MostConfused(input.ClassNames, counts, options.MostConfusedMinCount),
            Confidence = Confidence(input.Labels, predicted, confidence, options.ConfidenceThreshold),
            Calibration = Calibration(input.Labels, predicted, confidence, options.CalibrationBins),
            TopLosses = Enumerable.Range(0, n)
                .OrderByDescending(i => loss[i]).ThenBy(i => i)
                .Take(options.TopLossCount)
                .Select(i => Item(input, i, predicted, confidence, loss)).ToArray(),
            LeastConfidentCorrect = Enumerable.Range(0, n)
                .Where(i => predicted[i] == input.Labels[i])
                .OrderBy(i => confidence[i]).ThenBy(i => i)
                .Take(options.LeastConfidentCount)
                .Select(i => Item(input, i, predicted, confidence, loss)).ToArray(),
            Labels = input.Labels.ToArray(),
            Predicted = predicted,
            Confidences = confidence,
            ItemNames = Enumerable.Range(0, n).Select(input.ItemName).ToArray(),
        };
    }

    /// <summary>
    /// Expected calibration error of confidences against correctness with <paramref name="bins"/> equal-width bins
    /// (interval (lo, hi], confidence 0 in the first bin), and the bins themselves.
    /// </summary>
    public static CalibrationResult Calibration(IReadOnlyList<int> labels, IReadOnlyList<int> predicted, IReadOnlyList<double> confidence, int bins = 15)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentNullException.ThrowIfNull(confidence);
        if (labels.Count != predicted.Count || labels.Count != confidence.Count)
            throw new ArgumentException($"calibration needs equal lengths, got {labels.Count} labels, {predicted.Count} predictions, {confidence.Count} confidences");
        if (bins < 1) throw new ArgumentOutOfRangeException(nameof(bins), $"bins must be ≥ 1, got {bins}");
        var count = new int[bins];
        var confSum = new double[bins];
        var hits = new int[bins];
        for (var i = 0; i < labels.Count; i++)
        {
            // The small tolerance keeps float confidences that sit on an edge (0.6f = 0.6000000238…) in the bin below it.
            var b = Math.Clamp((int)Math.Ceiling(confidence[i] * bins - 1e-6) - 1, 0, bins - 1);
            count[b]++;
            confSum[b] += confidence[i];
            if (labels[i] == predicted[i]) hits[b]++;
        }
        var result = new CalibrationBin[bins];
        double ece = 0, mce = 0;
        for (var b = 0; b < bins; b++)
        {
            var meanConf = count[b] == 0 ? 0 : confSum[b] / count[b];
            var acc = count[b] == 0 ? 0 : (double)hits[b] / count[b];
            result[b] = new CalibrationBin { Lower = (double)b / bins, Upper = (double)(b + 1) / bins, Count = count[b], MeanConfidence = meanConf, Accuracy = acc };
            if (count[b] == 0) continue;
            var gap = Math.Abs(acc - meanConf);
            ece += gap * count[b] / labels.Count;
            mce = Math.Max(mce, gap);
        }
        return new CalibrationResult { ExpectedCalibrationError = ece, MaxCalibrationError = mce, Bins = result };
    }

    private static ClassReport[] PerClass(IReadOnlyList<string> names, int[][] counts)
    {
        var c = names.Count;
        var reports = new ClassReport[c];
        for (var j = 0; j < c; j++)
        {
            var tp = counts[j][j];
            var support = counts[j].Sum();
            var predictedCount = 0;
            for (var i = 0; i < c; i++) predictedCount += counts[i][j];
            var precision = predictedCount == 0 ? 0 : (double)tp / predictedCount;
            var recall = support == 0 ? 0 : (double)tp / support;
            reports[j] = new ClassReport
            {
                Index = j,
                Name = names[j],
                Support = support,
                PredictedCount = predictedCount,
                Correct = tp,
                Accuracy = recall,
                Precision = precision,
                Recall = recall,
                F1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall),
            };
        }
        return reports;
    }

    private static double Average(IReadOnlyList<ClassReport> classes, Func<ClassReport, double> value)
    {
        var present = classes.Where(c => c.Support > 0).ToList();
        return present.Count == 0 ? 0 : present.Average(value);
    }

    private static ConfusedPair[] MostConfused(IReadOnlyList<string> names, int[][] counts, int minCount)
    {
        var pairs = new List<ConfusedPair>();
        for (var a = 0; a < names.Count; a++)
            for (var p = 0; p < names.Count; p++)
                if (a != p && counts[a][p] >= minCount)
                    pairs.Add(new ConfusedPair { Actual = names[a], Predicted = names[p], ActualIndex = a, PredictedIndex = p, Count = counts[a][p] });
        return pairs.OrderByDescending(x => x.Count).ThenBy(x => x.ActualIndex).ThenBy(x => x.PredictedIndex).ToArray();
    }

    private static ConfidenceSummary Confidence(IReadOnlyList<int> labels, int[] predicted, double[] confidence, double threshold)
    {
        var n = labels.Count;
        var correct = Enumerable.Range(0, n).Where(i => predicted[i] == labels[i]).ToList();
        var wrong = Enumerable.Range(0, n).Where(i => predicted[i] != labels[i]).ToList();
        ConfidenceQuadrant Quadrant(string name, bool isCorrect, bool confident)
        {
            var idx = (isCorrect ? correct : wrong)
                .Where(i => confidence[i] >= threshold == confident)
                .OrderByDescending(i => confidence[i]).ThenBy(i => i).ToArray();
            return new ConfidenceQuadrant { Name = name, Correct = isCorrect, Confident = confident, Count = idx.Length, Fraction = (double)idx.Length / n, Indices = idx };
        }
        return new ConfidenceSummary
        {
            Threshold = threshold,
            MeanConfidence = confidence.Average(),
            MeanConfidenceCorrect = correct.Count == 0 ? null : correct.Average(i => confidence[i]),
            MeanConfidenceWrong = wrong.Count == 0 ? null : wrong.Average(i => confidence[i]),
            Quadrants =
            [
                Quadrant("confident_correct", true, true),
                Quadrant("unsure_correct", true, false),
                Quadrant("confident_wrong", false, true),
                Quadrant("unsure_wrong", false, false),
            ],
        };
    }

    private static ItemPrediction Item(EvaluationInput input, int i, int[] predicted, double[] confidence, double[] loss) => new()
    {
        Index = i,
        Name = input.ItemName(i),
        Label = input.Labels[i],
        LabelName = input.ClassNames[input.Labels[i]],
        Predicted = predicted[i],
        PredictedName = input.ClassNames[predicted[i]],
        Confidence = confidence[i],
        TrueClassProbability = input.Probabilities[i][input.Labels[i]],
        Loss = loss[i],
    };
}
