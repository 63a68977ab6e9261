using SharpVision.Evaluation;

namespace SharpVision.Tests.Evaluation;

public class ModelComparisonTests
{
    private static EvaluationResult Eval(string[] classes, int[] labels, int[] predicted) => ClassificationMetrics.Compute(new EvaluationInput
    {
        ClassNames = classes,
        Labels = labels,
        Probabilities = predicted.Select(p => Enumerable.Range(0, classes.Length).Select(j => j == p ? 0.9f : 0.1f / (classes.Length - 1)).ToArray()).ToArray(),
    });

    [Fact]
    public void RowsHoldEachModelsNumbers()
    {
        string[] classes = ["a", "b"];
        var good = Eval(classes, [0, 0, 1, 1], [0, 0, 1, 1]);
        var bad = Eval(classes, [0, 0, 1, 1], [0, 1, 0, 1]);
        var cmp = ModelComparison.Create([("good", good), ("bad", bad)]);
        Assert.Equal(["good", "bad"], cmp.Rows.Select(r => r.Name));
        Assert.Equal(1.0, cmp.Rows[0].Accuracy);
        Assert.Equal(0.5, cmp.Rows[1].Accuracy);
        Assert.Equal([0.5, 0.5], cmp.Rows[1].PerClassAccuracy);
        Assert.Equal(bad.Loss, cmp.Rows[1].Loss);
        Assert.Equal(bad.Calibration.ExpectedCalibrationError, cmp.Rows[1].Ece);
        var md = cmp.ToMarkdown();
        Assert.Contains("| model | accuracy | top-2 | macro F1 | ECE | loss | a | b |", md);
        Assert.Contains("| bad | 50.00% | 100.00% |", md);
    }

    [Fact]
    public void DifferentDataIsRejected()
    {
        var ab = Eval(["a", "b"], [0, 1], [0, 1]);
        var ac = Eval(["a", "c"], [0, 1], [0, 1]);
        var ab3 = Eval(["a", "b"], [0, 1, 1], [0, 1, 1]);
        Assert.Contains("'second'", Assert.Throws<ArgumentException>(() => ModelComparison.Create([("first", ab), ("second", ac)])).Message);
        Assert.Contains("3 items", Assert.Throws<ArgumentException>(() => ModelComparison.Create([("first", ab), ("second", ab3)])).Message);
    }
}
