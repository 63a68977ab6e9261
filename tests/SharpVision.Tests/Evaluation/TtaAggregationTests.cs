using SharpVision.Evaluation;

namespace SharpVision.Tests.Evaluation;

public class TtaAggregationTests
{
    private static float[][] RandomProbabilities(int n, int c, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(_ =>
        {
            var z = Enumerable.Range(0, c).Select(_ => Math.Exp(rng.NextDouble() * 4)).ToArray();
            var s = z.Sum();
            return z.Select(v => (float)(v / s)).ToArray();
        }).ToArray();
    }

    [Fact]
    public void IdenticalPassesEqualPlainEvaluationWithZeroSpread()
    {
        var probs = RandomProbabilities(50, 4, seed: 7);
        var labels = Enumerable.Range(0, 50).Select(i => i % 4).ToArray();
        var names = new[] { "w", "x", "y", "z" };
        var plain = ClassificationMetrics.Compute(new EvaluationInput { ClassNames = names, Labels = labels, Probabilities = probs });

        var tta = TtaAggregation.Combine([probs, probs, probs], labels);
        for (var i = 0; i < probs.Length; i++) Assert.Equal(probs[i], tta.MeanProbabilities[i]);
        Assert.All(tta.ConfidenceStd, s => Assert.Equal(0, s, 6));
        Assert.All(tta.Agreement, a => Assert.Equal(1, a));
        Assert.Equal(0, tta.Summary.MaxConfidenceStd, 6);
        Assert.Equal(1, tta.Summary.FullAgreementFraction);
        Assert.Equal(plain.Accuracy, tta.Summary.Accuracy);
        Assert.All(tta.Summary.PassAccuracies!, a => Assert.Equal(plain.Accuracy, a));
        Assert.Equal(plain.Predicted, tta.Predicted);

        var averaged = ClassificationMetrics.Compute(new EvaluationInput { ClassNames = names, Labels = labels, Probabilities = tta.MeanProbabilities });
        Assert.Equal(plain.Accuracy, averaged.Accuracy);
        Assert.Equal(plain.Loss, averaged.Loss, 12);
        Assert.Equal(plain.Calibration.ExpectedCalibrationError, averaged.Calibration.ExpectedCalibrationError, 12);
    }

    [Fact]
    public void SpreadAndAgreementOfDisagreeingPasses()
    {
        float[][] pass1 = [[0.8f, 0.2f], [0.1f, 0.9f]];
        float[][] pass2 = [[0.4f, 0.6f], [0.3f, 0.7f]];
        var tta = TtaAggregation.Combine([pass1, pass2], labels: [0, 0]);
        Assert.Equal(0.6f, tta.MeanProbabilities[0][0], 6);
        Assert.Equal([0, 1], tta.Predicted);
        Assert.Equal(0.2, tta.ConfidenceStd[0], 6); // class 0: .8 and .4 → population std .2
        Assert.Equal(0.1, tta.ConfidenceStd[1], 6); // class 1: .9 and .7
        Assert.Equal([0.5, 1.0], tta.Agreement);
        Assert.Equal(0.75, tta.Summary.MeanAgreement);
        Assert.Equal(0.5, tta.Summary.FullAgreementFraction);
        Assert.Equal(0.15, tta.Summary.MeanConfidenceStd, 6);
        Assert.Equal(0.5, tta.Summary.Accuracy);
        Assert.Equal([0.5, 0.0], tta.Summary.PassAccuracies!);
        Assert.Equal(0.25, tta.Summary.MeanPassAccuracy);
    }

    [Fact]
    public void WithoutLabelsThereIsNoAccuracy()
    {
        var probs = RandomProbabilities(5, 3, seed: 1);
        var tta = TtaAggregation.Combine([probs]);
        Assert.Null(tta.Summary.Accuracy);
        Assert.Null(tta.Summary.PassAccuracies);
        Assert.Equal(1, tta.Summary.Passes);
    }

    [Fact]
    public void MismatchedPassesAreRejected()
    {
        var a = RandomProbabilities(5, 3, seed: 1);
        Assert.Contains("pass 1 has 4 items", Assert.Throws<ArgumentException>(() => TtaAggregation.Combine([a, a[..4]])).Message);
        var narrow = RandomProbabilities(5, 2, seed: 2);
        Assert.Contains("expected 3", Assert.Throws<ArgumentException>(() => TtaAggregation.Combine([a, narrow])).Message);
        Assert.Contains("3 labels for 5 items", Assert.Throws<ArgumentException>(() => TtaAggregation.Combine([a], [0, 1, 2])).Message);
        Assert.Throws<ArgumentException>(() => TtaAggregation.Combine([]));
    }
}
