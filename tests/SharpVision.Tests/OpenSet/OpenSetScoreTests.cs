using SharpVision.Data;
using SharpVision.Evaluation;
using SharpVision.Models;

namespace SharpVision.Tests.OpenSet;

/// <summary>The open-set scores, metrics and calibration on cases whose answer is known exactly.</summary>
public class OpenSetScoreTests
{
    [Fact]
    public void MaxSoftmaxAndEnergyFollowTheirFormulas()
    {
        float[] logits = [0f, MathF.Log(3f)];
        Assert.Equal(-0.75, UnknownDetector.MaxSoftmaxScore(logits), 6);
        Assert.Equal(-Math.Log(4), UnknownDetector.EnergyScore(logits), 6);
        // Shifting every logit by a constant leaves softmax alone but moves the energy by the same constant.
        float[] shifted = [5f, 5f + MathF.Log(3f)];
        Assert.Equal(-0.75, UnknownDetector.MaxSoftmaxScore(shifted), 5);
        Assert.Equal(-Math.Log(4) - 5, UnknownDetector.EnergyScore(shifted), 5);
        // One sigmoid output behaves like the pair [0, z].
        Assert.Equal(-0.75, UnknownDetector.MaxSoftmaxScore([MathF.Log(3f)]), 6);
    }

    /// <summary>Offsets ±e_i around each mean: the pooled covariance is exactly I/3, so distances are 3× squared Euclidean.</summary>
    private static (List<float[]> Features, List<int> Labels) CrossAroundMeans(params float[][] means)
    {
        var features = new List<float[]>();
        var labels = new List<int>();
        for (var c = 0; c < means.Length; c++)
            for (var axis = 0; axis < 3; axis++)
                foreach (var sign in new[] { -1f, 1f })
                {
                    var f = (float[])means[c].Clone();
                    f[axis] += sign;
                    features.Add(f);
                    labels.Add(c);
                }
        return (features, labels);
    }

    [Fact]
    public void MahalanobisDistanceMatchesTheAnalyticCovariance()
    {
        var (features, labels) = CrossAroundMeans([0, 0, 0], [10, 0, 0]);
        var p = MahalanobisParameters.Fit(features, labels, 2, shrinkage: 0);
        Assert.Equal(0, p.NearestDistance([0, 0, 0]), 3);
        Assert.Equal(0, p.NearestDistance([10, 0, 0]), 3);
        Assert.Equal(3, p.NearestDistance([0, 0, 1]), 3);             // 1² · 3
        Assert.Equal(3 * 4, p.NearestDistance([10, 2, 0]), 3);        // nearest is class 1
        Assert.Equal(3 * 25, p.NearestDistance([5, 0, 0]), 3);        // midway: 5² · 3 to either
        // Shrinking towards the mean variance (also 1/3) changes nothing for an isotropic covariance.
        Assert.Equal(3, MahalanobisParameters.Fit(features, labels, 2, shrinkage: 0.5).NearestDistance([0, 0, 1]), 3);
    }

    [Fact]
    public void MahalanobisFitRefusesAClassWithoutRowsAndRaggedRows()
    {
        var (features, labels) = CrossAroundMeans([0, 0, 0]);
        Assert.Contains("class 1 has no rows", Assert.Throws<ArgumentException>(() => MahalanobisParameters.Fit(features, labels, 2)).Message);
        features.Add([1, 2]);
        labels.Add(0);
        Assert.Contains("row 6", Assert.Throws<ArgumentException>(() => MahalanobisParameters.Fit(features, labels, 1)).Message);
    }

    [Fact]
    public void AurocCountsOrderedPairsAndTiesHalf()
    {
        Assert.Equal(1.0, OpenSetMetrics.Auroc([1, 2, 3], [4, 5]));
        Assert.Equal(0.0, OpenSetMetrics.Auroc([4, 5], [1, 2, 3]));
        Assert.Equal(0.5, OpenSetMetrics.Auroc([1, 1], [1, 1]));
        Assert.Equal(5.0 / 6, OpenSetMetrics.Auroc([1, 2, 3], [2.5, 4]), 12);
        Assert.Equal(1.5 / 3, OpenSetMetrics.Auroc([1, 2, 3], [2]), 12); // above 1, tied with 2, below 3
    }

    [Fact]
    public void ThresholdKeepsTheTargetShare()
    {
        var scores = Enumerable.Range(1, 20).Select(i => (double)i).Reverse().ToList();
        var t = OpenSetMetrics.ThresholdFor(scores, 0.95);
        Assert.Equal(19, t);
        Assert.Equal(0.95, OpenSetMetrics.AcceptedShare(scores, t), 12);
        Assert.Equal(20, OpenSetMetrics.ThresholdFor(scores, 1.0));
        Assert.Equal(1, OpenSetMetrics.ThresholdFor(scores, 0.01));
        Assert.Throws<ArgumentException>(() => OpenSetMetrics.ThresholdFor(scores, 0));
    }

    /// <summary>
    /// Known items: features near one of two class means, logits from a nearest-mean head (confident). Unknown items:
    /// features far from both means, logits flat. Every score separates them perfectly.
    /// </summary>
    private static LabelledOutputs Synthetic(int count, bool unknown, int seed)
    {
        var rng = new Random(seed);
        var logits = new float[count][];
        var features = new float[count][];
        var labels = new int[count];
        for (var i = 0; i < count; i++)
        {
            var c = i % 2;
            labels[i] = c;
            var centre = unknown ? new[] { 0f, 30f, 0f, 0f } : c == 0 ? new[] { 5f, 0f, 0f, 0f } : new[] { -5f, 0f, 0f, 0f };
            features[i] = centre.Select(x => x + (float)(rng.NextDouble() - 0.5)).ToArray();
            logits[i] = unknown ? [0.1f * (float)rng.NextDouble(), 0.1f * (float)rng.NextDouble()] : c == 0 ? [8f + (float)rng.NextDouble(), -8f] : [-8f, 8f + (float)rng.NextDouble()];
        }
        return new LabelledOutputs(logits, features, labels, Enumerable.Range(0, count).Select(i => $"#{i}").ToArray());
    }

    [Fact]
    public void CalibrationOnSeparableDataRejectsEveryUnknownAndKeepsTheTarget()
    {
        var train = Synthetic(200, unknown: false, seed: 1);
        var validation = Synthetic(100, unknown: false, seed: 2);
        var unknown = Synthetic(60, unknown: true, seed: 3);
        var detector = UnknownCalibrator.Calibrate(train, validation, 2, new UnknownCalibrationOptions { TargetAcceptance = 0.9 });
        Assert.Equal(UnknownScoreKind.NearestNeighbour, detector.Kind); // the default when the model exposes features
        Assert.Equal(4, detector.Thresholds.Count);
        var result = UnknownEvaluator.Evaluate(detector, validation, unknown);
        Assert.Equal(4, result.Scores.Count);
        foreach (var s in result.Scores)
        {
            Assert.Equal(1.0, s.Auroc);
            Assert.Equal(0.0, s.FalseAcceptRate);
            Assert.InRange(s.CorrectAcceptance, 0.9, 0.92);
            Assert.Equal(100, s.KnownScores.Length);
            Assert.Equal(60, s.UnknownScores.Length);
        }
    }

    [Fact]
    public void UnknownExamplesPickTheScoreThatSeparatesThemBest()
    {
        var train = Synthetic(200, unknown: false, seed: 1);
        var validation = Synthetic(100, unknown: false, seed: 2);
        // Unknown items that the head is as sure about as known ones (no logit score can see them) but whose features are far away.
        var far = Synthetic(60, unknown: true, seed: 3);
        var confident = far with { Logits = far.Logits.Select((_, i) => i % 2 == 0 ? new[] { 9f, -8f } : new[] { -8f, 9f }).ToArray() };
        var byDefault = UnknownCalibrator.Calibrate(train, validation, 2, new UnknownCalibrationOptions { Method = UnknownScoreKind.Energy });
        Assert.Equal(UnknownScoreKind.Energy, byDefault.Kind);
        var chosen = UnknownCalibrator.Calibrate(train, validation, 2, new UnknownCalibrationOptions(), confident);
        Assert.Equal(UnknownScoreKind.Mahalanobis, chosen.Kind);
        var result = UnknownEvaluator.Evaluate(chosen, validation, confident);
        Assert.Equal(1.0, result.ChosenStats.Auroc);
        Assert.True(result.Scores.First(s => s.Kind == UnknownScoreKind.Energy).FalseAcceptRate > 0.9);
    }

    [Fact]
    public void WithoutFeaturesOnlyLogitScoresAreCalibrated()
    {
        var train = Synthetic(50, unknown: false, seed: 1) with { Features = null };
        var validation = Synthetic(40, unknown: false, seed: 2) with { Features = null };
        var detector = UnknownCalibrator.Calibrate(train, validation, 2);
        Assert.Equal(UnknownScoreKind.Energy, detector.Kind);
        Assert.Null(detector.Mahalanobis);
        Assert.False(detector.Thresholds.ContainsKey(UnknownScoreKind.Mahalanobis));
        Assert.Null(detector.NearestNeighbour);
        Assert.False(detector.Thresholds.ContainsKey(UnknownScoreKind.NearestNeighbour));
        Assert.Contains("knn score needs", Assert.Throws<ArgumentException>(() =>
            UnknownCalibrator.Calibrate(train, validation, 2, new UnknownCalibrationOptions { Method = UnknownScoreKind.NearestNeighbour })).Message);
        Assert.Contains("penultimate features", Assert.Throws<ArgumentException>(() =>
            UnknownCalibrator.Calibrate(train, validation, 2, new UnknownCalibrationOptions { Method = UnknownScoreKind.Mahalanobis })).Message);
    }

    [Fact]
    public void TheDetectorSurvivesTheModelFileMetadata()
    {
        var train = Synthetic(200, unknown: false, seed: 1);
        var validation = Synthetic(100, unknown: false, seed: 2);
        var detector = UnknownCalibrator.Calibrate(train, validation, 2, new UnknownCalibrationOptions { Method = UnknownScoreKind.Mahalanobis });
        var descriptor = new ModelDescriptor
        {
            Architecture = "lenet5", Options = new ModelOptions(), ClassNames = ["a", "b"], InputHeight = 8, InputWidth = 8, Normalization = Normalization.Unit,
            Unknown = detector,
        };
        var parsed = ModelFile.ParseMetadata(ModelFile.ToMetadata(descriptor), "test.safetensors").Unknown;
        Assert.NotNull(parsed);
        Assert.Equal(detector.Kind, parsed.Kind);
        Assert.Equal(detector.Threshold, parsed.Threshold);
        Assert.Equal(detector.Thresholds, parsed.Thresholds);
        float[] far = [0, 30, 0, 0];
        Assert.Equal(detector.Score(train.Logits[0], far), parsed.Score(train.Logits[0], far), 9);
        Assert.False(parsed.IsKnown(parsed.Score(train.Logits[0], far)));
        Assert.True(parsed.IsKnown(parsed.Score(train.Logits[0], train.Features![0])));
        // An uncalibrated model has no "unknown" field at all.
        Assert.False(ModelFile.ToMetadata(descriptor with { Unknown = null }).ContainsKey(UnknownDetector.MetadataKey));
        var broken = ModelFile.ToMetadata(descriptor);
        broken[UnknownDetector.MetadataKey] = "{\"method\":\"psychic\"}";
        Assert.Contains("psychic", Assert.Throws<InvalidDataException>(() => ModelFile.ParseMetadata(broken, "m.safetensors")).Message);
    }
}
