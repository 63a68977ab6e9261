using SharpVision.Evaluation;
using SharpVision.Reports;
using SharpVision.Tests.Support;

namespace SharpVision.Tests.Evaluation;

public class MacroF1SubsetTests
{
    // The case: 8 images of 5 classes, all right, but only 2 classes present.
    private static EvaluationResult EightImagesOfTwoClasses()
    {
        var labels = new[] { 0, 0, 0, 0, 3, 3, 3, 3 };
        return ClassificationMetrics.Compute(new EvaluationInput
        {
            ClassNames = new[] { "cheesecake", "donuts", "ice_cream", "macarons", "pancakes" },
            Labels = labels,
            Probabilities = labels.Select(l => Enumerable.Range(0, 5).Select(c => c == l ? 0.9f : 0.025f).ToArray()).ToArray(),
        });
    }

    [Fact]
    public void ClassesWithoutImagesAreLeftOutOfTheMacroAverage()
    {
        var r = EightImagesOfTwoClasses();
        Assert.Equal(1.0, r.Accuracy);
        Assert.Equal(1.0, r.MacroAverage.F1, 12); // not 0.40: the three absent classes are not counted as F1 0
        Assert.Equal(1.0, r.MacroAverage.Recall, 12);
        Assert.Equal(1.0, r.MacroAverage.Precision, 12);
    }

    [Fact]
    public void TheReportShowsThemAsNotApplicable()
    {
        using var tmp = new TempDirectory();
        var files = EvaluationReport.Write(tmp.Path, EightImagesOfTwoClasses(), new EvaluationReportOptions());
        var html = File.ReadAllText(files.HtmlPath);
        var donuts = html[html.IndexOf("<tr><td class=\"l\">donuts", StringComparison.Ordinal)..];
        donuts = donuts[..donuts.IndexOf("</tr>", StringComparison.Ordinal)];
        Assert.Contains("n/a", donuts);
        Assert.DoesNotContain("(weakest)", donuts);
    }
}
