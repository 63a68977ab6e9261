using SharpVision.Augmentation;
using SharpVision.Engine;
using SharpVision.Tests.Support;
using SharpVision.Training;
using SharpVision.Training.Optimizers;
using SharpVision.Training.Schedules;

namespace SharpVision.Tests.Application;

/// <summary>
/// The library's short road: a folder of photos → Fit → Evaluate/Predict/Save, equal to the CLI's run. Serial: model
/// initialisation draws from libtorch's process-wide generator, which parallel tests would otherwise share.
/// </summary>
[Collection("Serial")]
public class LearnerTests
{
    private static LearnerOptions Options(string outDir) => new()
    {
        Model = "lenet5", ImageSize = 28, ValidationSplit = 0.25, BatchSize = 8, Seed = 11,
        Optimizer = OptimizerKind.AdamW, LearningRate = 3e-3, Schedule = new OneCycleSchedule(),
        Augmentation = AugmentationSpec.Parse("flip=h"), OutputDirectory = outDir, Progress = false,
    };

    [Fact]
    public void FitEvaluatePredictAndSaveFromAFolder()
    {
        using var dir = new TempDirectory();
        var data = SyntheticImages.CreateFolder(dir.File("photos"), perClass: 16, size: 28, seed: 4);
        var learner = Learner.FromFolder(data, Options(dir.File("run")));
        learner.Log = _ => { };
        var result = learner.Fit(epochs: 4);

        Assert.Equal(4, result.History.Count);
        Assert.True(File.Exists(learner.ModelPath));
        var evaluation = learner.Evaluate(dir.File("report"));
        // The held-out images are the ones the run validated on: the best model scores its best val_accuracy there.
        Assert.Equal(12, evaluation.Result.Count);
        Assert.Equal(result.Best, evaluation.Result.Accuracy, 6);
        Assert.True(File.Exists(dir.File("report/report.html")));

        var image = Directory.GetFiles(Path.Combine(data, SyntheticImages.Classes[1])).Order().First();
        var top = learner.Predict(image, k: 3);
        Assert.Equal(3, top.Count);
        Assert.Equal(1.0, top.Sum(p => p.Probability), 3);

        learner.Save(dir.File("exported/model.safetensors"));
        Assert.Equal(File.ReadAllBytes(learner.ModelPath), File.ReadAllBytes(dir.File("exported/model.safetensors")));
    }

    [Fact]
    public void TheLearnerAndTheTrainCommandWithTheSameSettingsTrainTheSameModel()
    {
        using var dir = new TempDirectory();
        var data = SyntheticImages.CreateFolder(dir.File("photos"), perClass: 12, size: 28, seed: 9);
        var learner = Learner.FromFolder(data, Options(dir.File("api")));
        learner.Log = _ => { };
        var api = learner.Fit(epochs: 3);

        var (code, _, err) = ConsoleCapture.Run("train", "--data", data, "--model", "lenet5", "--input", "28", "--val-split", "0.25",
            "--batch", "8", "--seed", "11", "--optimizer", "adamw", "--lr", "0.003", "--schedule", "onecycle", "--augment", "flip=h",
            "--epochs", "3", "--no-progress", "--out", dir.File("cli"));
        Assert.True(code == 0, err);
        // history.csv keeps 9 decimals.
        foreach (var metric in new[] { "loss", "val_loss", "val_accuracy" })
        {
            var cli = History(dir.File("cli/history.csv"), metric);
            var own = api.History.Series(metric);
            Assert.Equal(own.Length, cli.Length);
            for (var i = 0; i < own.Length; i++) Assert.Equal(own[i], cli[i], 1e-8);
        }
    }

    [Fact]
    public void BadSettingsAreNamed()
    {
        Assert.Contains("no such folder", Assert.Throws<DirectoryNotFoundException>(() => Learner.FromFolder("/nonexistent/photos")).Message);
        using var dir = new TempDirectory();
        var e = Assert.Throws<ArgumentException>(() => Learner.FromFolder(dir.Path, new LearnerOptions { ValidationSplit = 1.5 }));
        Assert.Contains("ValidationSplit", e.Message);
        Assert.Throws<InvalidOperationException>(() => Learner.FromFolder(dir.Path).ModelPath);
    }

    private static double[] History(string csv, string column)
    {
        var lines = File.ReadAllLines(csv);
        var index = Array.IndexOf(lines[0].Split(','), column);
        return lines.Skip(1).Select(l => double.Parse(l.Split(',')[index], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
    }
}
