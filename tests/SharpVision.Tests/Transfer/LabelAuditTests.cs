using SharpVision.Engine;
using SharpVision.Evaluation;
using SharpVision.Transfer;

namespace SharpVision.Tests.Transfer;

public class LabelAuditTests
{
    private static readonly string[] Abc = { "a", "b", "c" };

    [Fact]
    public void ConfidentLearningFlagsImagesWhoseOtherClassReachesItsThreshold()
    {
        // Thresholds: a = mean(0.9, 0.8, 0.1) = 0.6, b = mean(0.7, 0.9) = 0.8, c = mean(0.6) = 0.6.
        var p = new[]
        {
            new[] { 0.9f, 0.05f, 0.05f }, // a, clearly a
            new[] { 0.8f, 0.1f, 0.1f },   // a, clearly a
            new[] { 0.1f, 0.85f, 0.05f }, // labelled a, but b (0.85 ≥ 0.8): an issue
            new[] { 0.2f, 0.7f, 0.1f },   // b, reaches no threshold (0.7 < 0.8, 0.2 < 0.6): not counted
            new[] { 0.05f, 0.9f, 0.05f }, // b, clearly b
            new[] { 0.35f, 0.05f, 0.6f }, // c, clearly c
        };
        var labels = new[] { 0, 0, 0, 1, 1, 2 };
        var names = Enumerable.Range(0, 6).Select(i => $"img{i}").ToArray();
        var result = LabelAudit.FindIssues(p, labels, names, Abc);

        Assert.Equal(new[] { 0.6, 0.8, 0.6 }, result.Thresholds.Select(t => Math.Round(t, 6)));
        var issue = Assert.Single(result.Issues);
        Assert.Equal(("img2", 0, 1), (issue.Name, issue.GivenLabel, issue.SuggestedLabel));
        Assert.Equal(0.1, issue.GivenProbability, 6);
        Assert.Equal(2, result.ConfidentJoint[0, 0]);
        Assert.Equal(1, result.ConfidentJoint[0, 1]);
        Assert.Equal(1, result.ConfidentJoint[1, 1]); // the unsure b image is in no cell
        Assert.Equal(1, result.ConfidentJoint[2, 2]);
        Assert.Equal(5.0 / 6, result.OutOfFoldAccuracy, 6);
    }

    [Fact]
    public void OutOfFoldHeadsFindPlantedLabelFlipsInSeparableFeatures()
    {
        // Three clusters in 16-D, 40 points each; three labels flipped to the next class.
        const int perClass = 40, dim = 16, classes = 3;
        var rng = new Random(12);
        var x = new float[perClass * classes * dim];
        var labels = new int[perClass * classes];
        for (var i = 0; i < labels.Length; i++)
        {
            labels[i] = i % classes;
            for (var d = 0; d < dim; d++) x[i * dim + d] = (float)((d % classes == labels[i] ? 3.0 : 0.0) + rng.NextDouble() - 0.5);
        }
        var flipped = new[] { 6, 40, 86 }; // one of each class
        foreach (var i in flipped) labels[i] = (labels[i] + 1) % classes;

        using var features = Tensor.FromArray(x, labels.Length, dim);
        var options = new LabelAuditOptions { Folds = 4, Seed = 3, Steps = 400, L2 = 1e-3 };
        var probabilities = LabelAudit.OutOfFoldProbabilities(features, labels, classes, options);
        Assert.All(probabilities, row => Assert.Equal(1.0, row.Sum(v => (double)v), 4));
        var result = LabelAudit.FindIssues(probabilities, labels, labels.Select(i => i.ToString()).ToArray(), Abc);

        Assert.Equal(flipped, result.Issues.Select(i => i.Index).OrderBy(i => i));
        Assert.All(result.Issues, i => Assert.Equal((i.GivenLabel + classes - 1) % classes, i.SuggestedLabel));
        Assert.Equal(1 - 3.0 / 120, result.OutOfFoldAccuracy, 6);
        // Deterministic: the same seed gives the same probabilities.
        var again = LabelAudit.OutOfFoldProbabilities(features, labels, classes, options);
        Assert.Equal(probabilities.SelectMany(r => r), again.SelectMany(r => r));
    }

    [Fact]
    public void BadInputsAreRefusedWithTheReason()
    {
        using var features = Tensor.Zeros(new long[] { 4, 2 });
        var e = Assert.Throws<ArgumentException>(() => LabelAudit.OutOfFoldProbabilities(features, new[] { 0, 1, 0 }, 2, new LabelAuditOptions()));
        Assert.Contains("N = 3", e.Message);
        Assert.Throws<ArgumentException>(() => LabelAudit.OutOfFoldProbabilities(features, new[] { 0, 1, 0, 2 }, 2, new LabelAuditOptions()));
        var folds = Assert.Throws<ArgumentOutOfRangeException>(() => LabelAudit.OutOfFoldProbabilities(features, new[] { 0, 1, 0, 1 }, 2, new LabelAuditOptions { Folds = 1 }));
        Assert.Contains("2 folds", folds.Message);
    }
}
