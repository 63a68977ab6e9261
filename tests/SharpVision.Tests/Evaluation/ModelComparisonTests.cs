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
        Assert.Contains("| model | accuracy | top-2 | macro F1 | ECE | loss | a | b | vs first (+/−) | McNemar p |", md);
        Assert.Contains("| bad | 50.00% | 100.00% |", md);
        Assert.Null(cmp.Rows[0].VersusFirst);
        Assert.Equal(new PairedComparison(0, 2, 0.5), cmp.Rows[1].VersusFirst);
        Assert.Contains("| +0/−2 | 0.5 |", md);
    }

    [Theory]
    [InlineData(0, 5, 0.0625)]      // 2 × (1/2)^5
    [InlineData(1, 9, 0.021484375)] // 2 × (1 + 10) / 1024
    [InlineData(9, 1, 0.021484375)]
    [InlineData(4, 4, 1.0)]
    [InlineData(0, 0, 1.0)]
    public void McNemarsExactTestMatchesTheBinomialTail(int b, int c, double expected) =>
        Assert.Equal(expected, PairedComparison.McNemarExactP(b, c), 12);

    [Fact]
    public void McNemarStaysFiniteForThousandsOfDiscordantItems()
    {
        // 600 vs 700: the normal approximation gives z = 100 / sqrt(1300) = 2.77, p ≈ 0.0056.
        var p = PairedComparison.McNemarExactP(600, 700);
        Assert.InRange(p, 0.004, 0.008);
        Assert.Equal(1.0, PairedComparison.McNemarExactP(2000, 2000));
    }

    [Fact]
    public void PairingCountsOnlyItemsWhereTheModelsDisagreeOnCorrectness()
    {
        string[] classes = ["a", "b", "c"];
        int[] labels = [0, 1, 2, 0, 1, 2, 0, 1];
        var first = Eval(classes, labels, [0, 1, 2, 1, 0, 0, 0, 1]);  // wrong on items 3, 4, 5
        var second = Eval(classes, labels, [0, 1, 2, 0, 1, 1, 2, 2]); // wrong on items 5, 6, 7
        var row = ModelComparison.Create([("first", first), ("second", second)]).Rows[1];
        Assert.Equal(2, row.VersusFirst!.OnlyThisRight);  // items 3 and 4
        Assert.Equal(2, row.VersusFirst.OnlyFirstRight); // items 6 and 7 (both wrong on 5)
        Assert.Equal(1.0, row.VersusFirst.PValue);
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
