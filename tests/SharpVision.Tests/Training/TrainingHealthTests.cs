using System.Text.Json;
using SharpVision.Engine;
using SharpVision.Layers;
using SharpVision.Tests.Support;
using SharpVision.Training;
using SharpVision.Training.Callbacks;
using SharpVision.Training.Health;
using SharpVision.Training.Optimizers;

namespace SharpVision.Tests.Training;

[Collection("Serial")]
public class TrainingHealthTests
{
    private static string[] HealthLines(string output) => output.Split('\n').Where(l => l.StartsWith("health: ", StringComparison.Ordinal)).ToArray();

    private static JsonElement[] RunJsonHealth(string run)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "run.json")));
        return doc.RootElement.TryGetProperty("health", out var h) ? h.EnumerateArray().Select(e => e.Clone()).ToArray() : Array.Empty<JsonElement>();
    }

    private static void AssertCafeCnnWarned(CliProcess p, string run)
    {
        Assert.True(p.ExitCode == 0, p.Output);
        var lines = HealthLines(p.Stdout);
        Assert.Contains(lines, l => l.Contains("of ReLU units never fire", StringComparison.Ordinal) || l.Contains("the model predicts chance", StringComparison.Ordinal));
        Assert.All(lines, l => Assert.Contains("; ", l)); // evidence; advice
        Assert.Contains(lines, l => l.Contains("lower --lr", StringComparison.Ordinal));
        // Found before the second epoch ended: the history counts it in epoch 1 or 2, and run.json keeps every finding.
        var history = History.FromCsv(File.ReadAllText(Path.Combine(run, "history.csv")));
        Assert.True(history.Series("health_warnings").Take(2).Sum() > 0, string.Join(",", history.Series("health_warnings")));
        var findings = RunJsonHealth(run);
        Assert.Contains(findings, f => f.GetProperty("check").GetString() is "DeadRelu" or "StuckLoss");
        Assert.All(findings, f => Assert.InRange(f.GetProperty("epoch").GetInt32(), 1, 2));
        // And TensorBoard's Text tab has them.
        var events = Directory.GetFiles(Path.Combine(run, "train"), "events.out.tfevents.*").SelectMany(f => SharpVision.Reports.TensorBoard.EventFileReader.ReadAll(f));
        Assert.Contains(events.SelectMany(e => e.Values), v => v.Tag.StartsWith("health", StringComparison.Ordinal) && v.Text?.Contains("lower --lr") == true);
    }

    [SharedDataFact("datasets/food5-64-train")]
    public void SharedCafeCnnAtAdam1e3OnFood5IsWarnedWithinTwoEpochs()
    {
        using var tmp = new TempDirectory();
        var run = tmp.File("run");
        using var p = CliProcess.Start(new[] { "train", "--data", TestPaths.Shared("datasets/food5-64-train"), "--model", "cafe-cnn", "--input", "64",
            "--limit", "320", "--epochs", "2", "--optimizer", "adam", "--lr", "0.001", "--no-progress", "--out", run });
        p.WaitForExit(TimeSpan.FromSeconds(180));
        AssertCafeCnnWarned(p, run);
    }

    [SharedDataFact("datasets/food5-64-train")]
    public void SharedCafeCnnWithHealthOffIsSilent()
    {
        using var tmp = new TempDirectory();
        var run = tmp.File("run");
        using var p = CliProcess.Start(new[] { "train", "--data", TestPaths.Shared("datasets/food5-64-train"), "--model", "cafe-cnn", "--input", "64",
            "--limit", "320", "--epochs", "1", "--health", "off", "--no-progress", "--out", run });
        p.WaitForExit(TimeSpan.FromSeconds(180));
        Assert.True(p.ExitCode == 0, p.Output);
        Assert.True(HealthLines(p.Stdout).Length == 0, p.Output);
        Assert.DoesNotContain("health_warnings", File.ReadAllText(Path.Combine(run, "history.csv")));
        Assert.Empty(RunJsonHealth(run));
    }

    [SharedDataFact("/usr/share/datasets/fashion-mnist")]
    public void TheDemosFashionCnnRunOnAFashionMnistSubsetGetsNoWarning()
    {
        using var tmp = new TempDirectory();
        var run = tmp.File("run");
        using var p = CliProcess.Start(new[] { "train", "--data", "/usr/share/datasets/fashion-mnist", "--format", "idx", "--model", "fashion-cnn",
            "--limit", "1920", "--val-split", "0.02", "--epochs", "2", "--batch", "64", "--optimizer", "adam", "--lr", "0.003",
            "--schedule", "onecycle:pct=0.25", "--cache", "--no-progress", "--out", run });
        p.WaitForExit(TimeSpan.FromSeconds(180));
        Assert.True(p.ExitCode == 0, p.Output);
        Assert.True(HealthLines(p.Stdout).Length == 0, p.Output);
        Assert.Empty(RunJsonHealth(run));
    }

    private static (Trainer Trainer, Optimizer Optimizer, LossFunction Loss) Trainer(Module model, double lr, int epochs, List<string> log)
    {
        var opt = new Sgd(model, lr);
        var loss = new LossFunction();
        return (new Trainer(model, opt, loss, new TrainerOptions { Epochs = epochs }) { Log = log.Add }, opt, loss);
    }

    private static Tensor Probe() => new BlobSource(16, 7).GetBatches(0).First().Inputs;

    [Fact]
    public void DeadUnitsAndVanishingGradientsAreFoundPerLayerWithAdvice()
    {
        Torch.ManualSeed(2);
        var hidden = new Linear(4, 8, activation: Activation.Relu);
        using var model = new Sequential(hidden, new Linear(8, 2));
        using (Torch.NoGrad()) hidden.Bias!.Value.Fill_(-100); // every unit dead from the start
        var log = new List<string>();
        var (trainer, opt, loss) = Trainer(model, 0.1, 2, log);
        using var _o = opt; using var _l = loss;
        using var monitor = new TrainingHealthMonitor(2, Probe(), new TrainingHealthOptions { SuggestedLearningRate = 2e-4 });
        trainer.Fit(new BlobSource(32, 0), new BlobSource(16, 1), new[] { monitor });

        var dead = Assert.Single(monitor.Findings, f => f.Check == HealthCheck.DeadRelu);
        Assert.Equal("0 (dense 8 + ReLU)", dead.Layer);
        Assert.StartsWith("100% of ReLU units never fire (8 of 8", dead.Evidence.Replace(" %", "%"));
        Assert.Contains("lr-find suggests 2e-4", dead.Advice);
        var vanishing = Assert.Single(monitor.Findings, f => f.Check == HealthCheck.VanishingGradients);
        Assert.Equal("0", vanishing.Layer);
        Assert.Contains(log, l => l == "health: " + dead.Message);
        Assert.Equal(1, monitor.Findings.Count(f => f.Check == HealthCheck.DeadRelu)); // once per run, not per epoch
    }

    [Fact]
    public void ANonFiniteLossIsReportedAndStopsTheRun()
    {
        Torch.ManualSeed(2);
        using var model = new Linear(4, 2);
        using (Torch.NoGrad()) model.Weight.Value.Fill_(double.NaN);
        var log = new List<string>();
        var (trainer, opt, loss) = Trainer(model, 0.1, 5, log);
        using var _o = opt; using var _l = loss;
        using var monitor = new TrainingHealthMonitor(2, null);
        var history = trainer.Fit(new BlobSource(32, 0), null, new[] { monitor });
        var f = Assert.Single(monitor.Findings, x => x.Check == HealthCheck.NonFinite);
        Assert.Contains("--clip-grad", f.Advice);
        Assert.Equal(1, history.Count); // stopped after the epoch it happened in
    }

    [Fact]
    public void OverfittingAndAPlateauAreReadFromTheEpochMetrics()
    {
        using var model = new Linear(4, 2);
        var log = new List<string>();
        var (trainer, opt, loss) = Trainer(model, 0, 1, log);
        using var _o = opt; using var _l = loss;
        var history = new History();
        var valLoss = new[] { 1.0, 0.8, 0.85, 0.84, 0.83, 0.86, 0.88 };
        foreach (var v in valLoss) history.Add(new Dictionary<string, double> { ["loss"] = 0.1, ["accuracy"] = 0.97, ["val_loss"] = v, ["val_accuracy"] = 0.61 });
        var context = new TrainingContext(model, opt, history, 10, 4, _ => { }) { Log = log.Add, Epoch = 6 };
        using var monitor = new TrainingHealthMonitor(2, null);
        monitor.OnEpochBegin(context, 6);
        monitor.OnEpochEnd(context, 6, history[6]);
        var overfit = Assert.Single(monitor.Findings, f => f.Check == HealthCheck.Overfitting);
        Assert.Contains("97", overfit.Evidence);
        Assert.Contains("61", overfit.Evidence);
        Assert.Contains("--augment", overfit.Advice);
        var plateau = Assert.Single(monitor.Findings, f => f.Check == HealthCheck.Plateau);
        Assert.Contains("5 epochs", plateau.Evidence);
        Assert.Equal(2, history[6]["health_warnings"]);
        // A healthy history (still improving, small gap) gives nothing.
        var fine = new History();
        foreach (var v in new[] { 1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4 }) fine.Add(new Dictionary<string, double> { ["accuracy"] = 0.8, ["val_loss"] = v, ["val_accuracy"] = 0.75 });
        using var quiet = new TrainingHealthMonitor(2, null);
        quiet.OnEpochEnd(new TrainingContext(model, opt, fine, 10, 4, _ => { }) { Epoch = 6 }, 6, fine[6]);
        Assert.Empty(quiet.Findings);
    }
}
