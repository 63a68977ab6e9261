using SharpVision.Data;
using SharpVision.Inference;
using SharpVision.Models;

namespace SharpVision.Evaluation;

/// <summary>Measures a calibrated <see cref="UnknownDetector"/>: every available score at its own threshold.</summary>
public static class UnknownEvaluator
{
    /// <summary>
    /// Scores <paramref name="known"/> (labelled items of the model's classes) and <paramref name="unknown"/> (items of
    /// none of them; null or empty for known items only) with every score <paramref name="detector"/> supports.
    /// </summary>
    public static UnknownEvaluation Evaluate(UnknownDetector detector, LabelledOutputs known, LabelledOutputs? unknown)
    {
        ArgumentNullException.ThrowIfNull(detector);
        ArgumentNullException.ThrowIfNull(known);
        var rows = new List<UnknownScoreStats>();
        foreach (var kind in UnknownScoreNames.All)
        {
            if (!detector.Supports(kind) || (UnknownScoreNames.NeedsFeatures(kind) && known.Features is null)) continue;
            var threshold = kind == detector.Kind ? detector.Threshold
                : detector.Thresholds.TryGetValue(kind, out var t) ? t : double.NaN;
            if (double.IsNaN(threshold)) continue;
            var knownScores = Scores(detector, kind, known);
            var correct = Enumerable.Range(0, known.Count).Where(known.IsCorrect).Select(i => knownScores[i]).ToList();
            var unknownScores = unknown is { Count: > 0 } ? Scores(detector, kind, unknown) : [];
            rows.Add(new UnknownScoreStats(kind, threshold,
                unknownScores.Length > 0 ? OpenSetMetrics.Auroc(knownScores, unknownScores) : double.NaN,
                unknownScores.Length > 0 ? OpenSetMetrics.AcceptedShare(unknownScores, threshold) : double.NaN,
                OpenSetMetrics.AcceptedShare(knownScores, threshold),
                correct.Count > 0 ? OpenSetMetrics.AcceptedShare(correct, threshold) : double.NaN,
                knownScores, unknownScores));
        }
        return new UnknownEvaluation(detector.Kind, detector.TargetAcceptance, rows, known.Count, unknown?.Count ?? 0);
    }

    /// <summary>
    /// Runs a calibrated classifier over <paramref name="known"/> (labelled with the model's classes) and
    /// <paramref name="unknown"/> (images of none of them) and measures every score.
    /// </summary>
    /// <exception cref="InvalidOperationException">The model file carries no calibrated detector.</exception>
    public static UnknownEvaluation Evaluate(ImageClassifier classifier, ImageDataset known, ImageDataset unknown, int batchSize = 64, string? modelName = null)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        ArgumentNullException.ThrowIfNull(known);
        ArgumentNullException.ThrowIfNull(unknown);
        var detector = classifier.Descriptor.Unknown ?? throw new InvalidOperationException(
            $"{modelName ?? "the model"} has no open-set calibration; run `sharpvision calibrate-unknown` on it (or train with a validation split)");
        var map = ModelEvaluator.MapClasses(classifier.ClassNames, known.ClassNames, modelName ?? "model");
        var knownOutputs = LabelledOutputs.Collect(classifier, known, map, batchSize, dataName: "the known images");
        var unknownOutputs = LabelledOutputs.Collect(classifier, unknown, null, batchSize, dataName: "the unknown images");
        return Evaluate(detector, knownOutputs, unknownOutputs);
    }

    /// <summary>The score of <paramref name="kind"/> for every item of <paramref name="outputs"/>.</summary>
    public static double[] Scores(UnknownDetector detector, UnknownScoreKind kind, LabelledOutputs outputs)
    {
        ArgumentNullException.ThrowIfNull(detector);
        ArgumentNullException.ThrowIfNull(outputs);
        var scores = new double[outputs.Count];
        for (var i = 0; i < scores.Length; i++) scores[i] = detector.Score(kind, outputs.Logits[i], outputs.FeaturesOf(i));
        return scores;
    }
}
