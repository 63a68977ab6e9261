using SharpVision.Evaluation;
using SharpVision.Reports;
using SharpVision.Tests.Support;
using SharpVision.Training.Health;
using SharpVision.Training.LearningRates;

namespace SharpVision.Tests.Reports;

public class TrainingHealthReportTests
{
    private static EvaluationResult Result()
    {
        var labels = new[] { 0, 1, 0, 1 };
        return ClassificationMetrics.Compute(new EvaluationInput
        {
            ClassNames = new[] { "a", "b" },
            Labels = labels,
            Probabilities = labels.Select(l => l == 0 ? new[] { 0.8f, 0.2f } : new[] { 0.3f, 0.7f }).ToArray(),
        });
    }

    [Fact]
    public void TheReportHasATrainingHealthSectionWithFindingsAndTheLearningRateCurve()
    {
        using var tmp = new TempDirectory();
        var finding = new HealthFinding(HealthCheck.DeadRelu, 1, 50, "0 (conv 32@7×7 + ReLU)", "98% of ReLU units never fire (31 of 32 on the probe batch after 50 steps)",
            "lower --lr (lr-find suggests 2e-4) or use a model with BatchNorm (e.g. resnet18)");
        var rates = Enumerable.Range(0, 40).Select(i => 1e-6 * Math.Pow(10, i / 8.0)).ToArray();
        var loss = rates.Select((r, i) => 2.0 - 0.03 * i + (i > 30 ? 0.5 * (i - 30) : 0)).ToArray();
        var files = EvaluationReport.Write(tmp.Path, Result(), new EvaluationReportOptions
        {
            TrainingHealth = new[] { finding },
            LearningRateFinder = LearningRateFinderResult.From(rates, loss, loss, diverged: true),
        });
        var html = File.ReadAllText(files.HtmlPath);
        Assert.Contains("<section id=\"training-health\"><h2>Training health</h2>", html);
        Assert.Contains("98% of ReLU units never fire", html);
        Assert.Contains("lr-find suggests 2e-4", html);
        Assert.Contains("DeadRelu", html);
        Assert.Contains("lr_find.png", files.Images);
        Assert.Contains("Suggested learning rate:", html);

        var quiet = EvaluationReport.Write(tmp.File("quiet"), Result(), new EvaluationReportOptions { TrainingHealth = Array.Empty<HealthFinding>() });
        Assert.Contains("found nothing wrong", File.ReadAllText(quiet.HtmlPath));
        var none = EvaluationReport.Write(tmp.File("none"), Result(), new EvaluationReportOptions());
        Assert.DoesNotContain("training-health", File.ReadAllText(none.HtmlPath));
    }

    [Fact]
    public void FindingsAndTheSweepRoundTripThroughTheRunFolder()
    {
        using var tmp = new TempDirectory();
        File.WriteAllText(tmp.File("run.json"), """
            { "command": "sharpvision train", "health": [ { "check": "StuckLoss", "epoch": 1, "step": 50, "evidence": "loss 1.6094", "advice": "lower --lr" } ] }
            """);
        var f = Assert.Single(HealthFinding.LoadFromRunFolder(tmp.Path)!);
        Assert.Equal(HealthCheck.StuckLoss, f.Check);
        Assert.Null(f.Layer);
        Assert.Equal("loss 1.6094; lower --lr", f.Message);
        Assert.Null(HealthFinding.LoadFromRunFolder(tmp.File("nowhere")));

        var rates = Enumerable.Range(0, 30).Select(i => 1e-5 * Math.Pow(10, i / 10.0)).ToArray();
        var loss = rates.Select((_, i) => 3.0 - 0.05 * i).ToArray();
        var sweep = LearningRateFinderResult.From(rates, loss, loss, diverged: false);
        File.WriteAllText(tmp.File(LearningRateFinderResult.CsvFile), sweep.ToCsv());
        var loaded = LearningRateFinderResult.Load(tmp.Path)!;
        Assert.Equal(sweep.Suggested, loaded.Suggested);
        Assert.Equal(30, loaded.LearningRates.Count);
    }
}
