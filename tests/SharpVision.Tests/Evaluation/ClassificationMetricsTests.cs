using SharpVision.Evaluation;

namespace SharpVision.Tests.Evaluation;

public class ClassificationMetricsTests
{
    // 7 items, 3 classes; class "c" is never predicted. Expected values are worked out by hand in the comments.
    private static EvaluationInput HandBuilt() => new()
    {
        ClassNames = ["a", "b", "c"],
        Labels = [0, 0, 0, 1, 1, 2, 2],
        Probabilities =
        [
            [0.9f, 0.05f, 0.05f], // a → a  .9
            [0.6f, 0.3f, 0.1f],   // a → a  .6
            [0.2f, 0.7f, 0.1f],   // a → b  .7 (wrong)
            [0.1f, 0.8f, 0.1f],   // b → b  .8
            [0.4f, 0.35f, 0.25f], // b → a  .4 (wrong)
            [0.5f, 0.2f, 0.3f],   // c → a  .5 (wrong)
            [0.7f, 0.1f, 0.2f],   // c → a  .7 (wrong)
        ],
        ItemNames = ["i0", "i1", "i2", "i3", "i4", "i5", "i6"],
    };

    [Fact]
    public void ConfusionMatrixAndAccuracy()
    {
        var r = ClassificationMetrics.Compute(HandBuilt());
        Assert.Equal(7, r.Count);
        Assert.Equal([2, 1, 0], r.Confusion.Counts[0]);
        Assert.Equal([1, 1, 0], r.Confusion.Counts[1]);
        Assert.Equal([2, 0, 0], r.Confusion.Counts[2]);
        Assert.Equal(2.0 / 3, r.Confusion.Normalized[0][0], 9);
        Assert.Equal(1.0, r.Confusion.Normalized[2][0], 9);
        Assert.Equal(3.0 / 7, r.Accuracy, 9);
        Assert.Equal([0, 0, 1, 1, 0, 0, 0], r.Predicted);
    }

    [Fact]
    public void PerClassPrecisionRecallF1IncludingANeverPredictedClass()
    {
        var r = ClassificationMetrics.Compute(HandBuilt());
        var a = r.Classes[0];
        Assert.Equal((3, 5, 2), (a.Support, a.PredictedCount, a.Correct));
        Assert.Equal(0.4, a.Precision, 9);
        Assert.Equal(2.0 / 3, a.Recall, 9);
        Assert.Equal(a.Recall, a.Accuracy, 12);
        Assert.Equal(0.5, a.F1, 6); // 2·0.4·0.667 / 1.067
        Assert.Equal(0.5, r.Classes[1].Precision, 9);
        Assert.Equal(0.5, r.Classes[1].F1, 9);
        var c = r.Classes[2];
        Assert.Equal(0, c.PredictedCount);
        Assert.Equal(0, c.Precision);
        Assert.Equal(0, c.Recall);
        Assert.Equal(0, c.F1);

        Assert.Equal(0.3, r.MacroAverage.Precision, 9);
        Assert.Equal((2.0 / 3 + 0.5) / 3, r.MacroAverage.Recall, 9);
        Assert.Equal(1.0 / 3, r.MacroAverage.F1, 6);
        Assert.Equal(2.5 / 7, r.WeightedAverage.F1, 6);
        Assert.Equal(r.Accuracy, r.WeightedAverage.Recall, 9); // support-weighted recall is accuracy
    }

    [Fact]
    public void LossIsMeanNegativeLogOfTrueClass()
    {
        var r = ClassificationMetrics.Compute(HandBuilt());
        var expected = new[] { 0.9, 0.6, 0.2, 0.8, 0.35, 0.3, 0.2 }.Average(p => -Math.Log(p));
        Assert.Equal(expected, r.Loss, 5);
    }

    [Fact]
    public void TopKAccuracyAndClampingToClassCount()
    {
        var top2 = ClassificationMetrics.Compute(HandBuilt(), new EvaluationOptions { TopK = 2 });
        Assert.Equal(2, top2.TopK);
        // Every wrong item has its true class second: i2 (.2 after .7), i4 (.35 after .4), i5 (.3 after .5), i6 (.2 after .7).
        Assert.Equal(1.0, top2.TopKAccuracy, 9);
        var top1 = ClassificationMetrics.Compute(HandBuilt(), new EvaluationOptions { TopK = 1 });
        Assert.Equal(top1.Accuracy, top1.TopKAccuracy, 12);
        var top5 = ClassificationMetrics.Compute(HandBuilt());
        Assert.Equal(3, top5.TopK); // 5 clamped to 3 classes
        Assert.Equal(1.0, top5.TopKAccuracy);
    }

    [Fact]
    public void TopKCountsTrueClassOutsideTopTwo()
    {
        var input = new EvaluationInput
        {
            ClassNames = ["a", "b", "c", "d"],
            Labels = [3, 2],
            Probabilities = [[0.4f, 0.3f, 0.2f, 0.1f], [0.1f, 0.5f, 0.3f, 0.1f]],
        };
        var r = ClassificationMetrics.Compute(input, new EvaluationOptions { TopK = 2 });
        Assert.Equal(0.5, r.TopKAccuracy); // item 0's true class is last; item 1's is second
    }

    [Fact]
    public void MostConfusedSortedByCountWithMinimum()
    {
        var r = ClassificationMetrics.Compute(HandBuilt());
        Assert.Equal(
            [("c", "a", 2), ("a", "b", 1), ("b", "a", 1)],
            r.MostConfused.Select(p => (p.Actual, p.Predicted, p.Count)).ToArray());
        var min2 = ClassificationMetrics.Compute(HandBuilt(), new EvaluationOptions { MostConfusedMinCount = 2 });
        var only = Assert.Single(min2.MostConfused);
        Assert.Equal((2, 0), (only.ActualIndex, only.PredictedIndex));
    }

    [Fact]
    public void ConfidenceMeansAndQuadrants()
    {
        var r = ClassificationMetrics.Compute(HandBuilt());
        var c = r.Confidence;
        Assert.Equal((0.9 + 0.6 + 0.8) / 3, c.MeanConfidenceCorrect!.Value, 5);
        Assert.Equal((0.7 + 0.4 + 0.5 + 0.7) / 4, c.MeanConfidenceWrong!.Value, 5);
        Assert.Equal([0, 3, 1], c.Quadrant(correct: true, confident: true).Indices);
        Assert.Empty(c.Quadrant(correct: true, confident: false).Indices);
        Assert.Equal([2, 6, 5], c.Quadrant(correct: false, confident: true).Indices); // .7, .7 (tie by index), .5 (≥ threshold)
        Assert.Equal([4], c.Quadrant(correct: false, confident: false).Indices);
        Assert.Equal(7, c.Quadrants.Sum(q => q.Count));
        Assert.Equal(3.0 / 7, c.Quadrant(false, true).Fraction, 9);

        var strict = ClassificationMetrics.Compute(HandBuilt(), new EvaluationOptions { ConfidenceThreshold = 0.75 });
        Assert.Equal([0, 3], strict.Confidence.Quadrant(true, true).Indices);
        Assert.Equal([1], strict.Confidence.Quadrant(true, false).Indices);
    }

    [Fact]
    public void ExpectedCalibrationErrorMatchesHandComputation()
    {
        // 5 bins (0,.2] (.2,.4] (.4,.6] (.6,.8] (.8,1]; edges .4, .6, .8 fall in the lower bin.
        // (.2,.4]: {i4} conf .4 acc 0 → gap .4 · 1/7
        // (.4,.6]: {i1, i5} conf .55 acc .5 → gap .05 · 2/7
        // (.6,.8]: {i2, i3, i6} conf .7333 acc 1/3 → gap .4 · 3/7
        // (.8,1]: {i0} conf .9 acc 1 → gap .1 · 1/7
        var r = ClassificationMetrics.Compute(HandBuilt(), new EvaluationOptions { CalibrationBins = 5 });
        var cal = r.Calibration;
        Assert.Equal(1.8 / 7, cal.ExpectedCalibrationError, 5);
        Assert.Equal(0.4, cal.MaxCalibrationError, 5);
        Assert.Equal([0, 1, 2, 3, 1], cal.Bins.Select(b => b.Count).ToArray());
        Assert.Equal(0.55, cal.Bins[2].MeanConfidence, 5);
        Assert.Equal(1.0 / 3, cal.Bins[3].Accuracy, 9);
        Assert.Equal(-0.4, cal.Bins[1].Gap, 5); // over-confident
        Assert.Equal(15, ClassificationMetrics.Compute(HandBuilt()).Calibration.Bins.Length);
    }

    [Fact]
    public void PerfectOneHotPredictionsAreCalibrated()
    {
        var input = new EvaluationInput
        {
            ClassNames = ["x", "y"],
            Labels = [0, 1, 1],
            Probabilities = [[1f, 0f], [0f, 1f], [0f, 1f]],
        };
        var r = ClassificationMetrics.Compute(input);
        Assert.Equal(1.0, r.Accuracy);
        Assert.Equal(0.0, r.Calibration.ExpectedCalibrationError, 9);
        Assert.Empty(r.MostConfused);
        Assert.Null(r.Confidence.MeanConfidenceWrong);
        Assert.Equal(0.0, r.Loss, 9);
    }

    [Fact]
    public void TopLossesAndLeastConfidentCorrect()
    {
        var r = ClassificationMetrics.Compute(HandBuilt(), new EvaluationOptions { TopLossCount = 3, LeastConfidentCount = 2 });
        Assert.Equal([2, 6, 5], r.TopLosses.Select(x => x.Index).ToArray()); // p(true) .2, .2, .3
        var worst = r.TopLosses[0];
        Assert.Equal(("i2", "a", "b"), (worst.Name, worst.LabelName, worst.PredictedName));
        Assert.False(worst.Correct);
        Assert.Equal(-Math.Log(0.2), worst.Loss, 5);
        Assert.Equal(0.7, worst.Confidence, 5);
        Assert.Equal(0.2, worst.TrueClassProbability, 5);
        Assert.Equal([1, 3], r.LeastConfidentCorrect.Select(x => x.Index).ToArray());
        Assert.All(r.LeastConfidentCorrect, x => Assert.True(x.Correct));
    }

    [Theory]
    [InlineData("labels", "Labels[1] = 3")]
    [InlineData("logits", "logits")]
    [InlineData("width", "has 2 values for 3 classes")]
    [InlineData("rows", "6 rows for 7 labels")]
    [InlineData("names", "ItemNames has 1 entries")]
    [InlineData("nan", "must be finite")]
    public void BadInputIsRejectedWithAClearMessage(string fault, string expected)
    {
        var good = HandBuilt();
        var probs = good.Probabilities.Select(p => (float[])p.Clone()).ToList();
        var labels = good.Labels.ToArray();
        IReadOnlyList<string>? names = good.ItemNames;
        switch (fault)
        {
            case "labels": labels[1] = 3; break;
            case "logits": probs[0] = [2.5f, 1f, 0.3f]; break;
            case "width": probs[4] = [0.5f, 0.5f]; break;
            case "rows": probs.RemoveAt(6); break;
            case "names": names = ["only"]; break;
            case "nan": probs[2] = [float.NaN, 0.5f, 0.5f]; break;
        }
        var input = new EvaluationInput { ClassNames = good.ClassNames, Labels = labels, Probabilities = probs, ItemNames = names };
        var e = Assert.Throws<ArgumentException>(() => ClassificationMetrics.Compute(input));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void BadOptionsAreRejected()
    {
        Assert.Contains("TopK", Assert.Throws<ArgumentException>(() => ClassificationMetrics.Compute(HandBuilt(), new EvaluationOptions { TopK = 0 })).Message);
        Assert.Contains("ConfidenceThreshold", Assert.Throws<ArgumentException>(() => ClassificationMetrics.Compute(HandBuilt(), new EvaluationOptions { ConfidenceThreshold = 1.5 })).Message);
        Assert.Contains("CalibrationBins", Assert.Throws<ArgumentException>(() => ClassificationMetrics.Compute(HandBuilt(), new EvaluationOptions { CalibrationBins = 0 })).Message);
    }
}
