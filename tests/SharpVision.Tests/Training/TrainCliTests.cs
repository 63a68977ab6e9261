using SharpVision.Engine.IO;
using SharpVision.Models;
using SharpVision.Tests.Support;
using SharpVision.Training;

namespace SharpVision.Tests.Training;

[Collection("Serial")]
public class TrainCliTests
{
    [Fact]
    public void TrainEvaluateAndPredictEndToEndOnATinyGeneratedDataset()
    {
        using var tmp = new TempDirectory();
        var data = SyntheticImages.CreateFolder(tmp.File("data"), perClass: 40, size: 16);
        var run = tmp.File("run");
        int validationCount;
        using (var train = CliProcess.Start(new[] { "train", "--data", data, "--model", "fashion-cnn", "--input", "16", "--epochs", "6",
                   "--batch", "8", "--lr", "0.003", "--out", run, "--threads", "1", "--augment", "flip=h", "--no-progress" }))
        {
            train.WaitForExit(TimeSpan.FromSeconds(120));
            Assert.True(train.ExitCode == 0, train.Output);
            Assert.Contains("Epoch 6/6", train.Output);
            validationCount = int.Parse(System.Text.RegularExpressions.Regex.Match(train.Output, @"(\d+) validation images").Groups[1].Value);
        }
        foreach (var f in new[] { "best.safetensors", "model.safetensors", "last.checkpoint", "history.csv", "curves.png", "run.json" })
            Assert.True(File.Exists(Path.Combine(run, f)), $"missing {f}");
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(run, "train"), "events.out.tfevents.*"));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(run, "validation"), "events.out.tfevents.*"));
        var inputs = Directory.GetFiles(Path.Combine(run, "train"), "events.out.tfevents.*").SelectMany(f => SharpVision.Reports.TensorBoard.EventFileReader.ReadAll(f))
            .SelectMany(e => e.Values).Where(v => v.Tag.StartsWith("inputs/", StringComparison.Ordinal)).Select(v => v.Tag).ToList();
        Assert.Equal(SyntheticImages.Classes.Length, SyntheticImages.Classes.Count(c => inputs.Any(t => t.EndsWith("_" + c, StringComparison.Ordinal)))); // every class shown
        // run.json: the command line as typed, enums as names.
        using (var runJson = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "run.json"))))
        {
            var root = runJson.RootElement;
            Assert.StartsWith("sharpvision train --data ", root.GetProperty("command").GetString());
            Assert.Contains("--augment flip=h", root.GetProperty("command").GetString());
            var options = root.GetProperty("options");
            Assert.Equal("Stretch", options.GetProperty("Resize").GetString());
            Assert.Equal("Auto", options.GetProperty("Format").GetString());
            Assert.Equal("cpu", options.GetProperty("Device").GetString());
        }
        var history = History.FromCsv(File.ReadAllText(Path.Combine(run, "history.csv")));
        Assert.Equal(6, history.Count);
        Assert.True(history.Series("val_accuracy").Max() > 0.8, "the stripes task should be learned: " + string.Join(", ", history.Series("val_accuracy")));

        var descriptor = ModelFile.ReadDescriptor(Path.Combine(run, "best.safetensors"));
        Assert.Equal(SyntheticImages.Classes.Order(StringComparer.Ordinal), descriptor.ClassNames);
        Assert.Equal("fashion-cnn", descriptor.Architecture);

        // evaluate --val-split/--split-seed re-selects exactly the images the run validated on.
        using (var evaluate = CliProcess.Start(new[] { "evaluate", "--model", Path.Combine(run, "best.safetensors"), "--data", data,
                   "--val-split", "0.1", "--split-seed", "0", "--json" }))
        {
            evaluate.WaitForExit(TimeSpan.FromSeconds(60));
            Assert.True(evaluate.ExitCode == 0, evaluate.Output);
            var metrics = SharpVision.Evaluation.MetricsJson.Deserialize(evaluate.Stdout[evaluate.Stdout.IndexOf('{')..]);
            Assert.Equal(validationCount, metrics.Evaluation.Count);
            Assert.Equal(SyntheticImages.Classes.Length * 40 / 10, validationCount); // 10%, stratified
            Assert.Equal(history.Series("val_accuracy").Max(), metrics.Evaluation.Accuracy, 6);
        }

        using var predict = CliProcess.Start(new[] { "predict", "--model", Path.Combine(run, "best.safetensors"),
            Path.Combine(data, "vertical", "000.png"), Path.Combine(data, "horizontal", "001.png") });
        predict.WaitForExit(TimeSpan.FromSeconds(60));
        Assert.True(predict.ExitCode == 0, predict.Output);
        Assert.Contains("000.png: vertical", predict.Stdout);
        Assert.Contains("001.png: horizontal", predict.Stdout);
    }

    [Theory]
    [InlineData(new[] { "train", "--data", "/no/such/folder", "--model", "fashion-cnn", "--out", "/tmp/x" }, "not found")]
    [InlineData(new[] { "train", "--data", ".", "--model", "no-such-net", "--out", "/tmp/x" }, "valid names")]
    [InlineData(new[] { "train", "--data", ".", "--model", "fashion-cnn", "--augment", "spin=3", "--out", "/tmp/x" }, "spin")]
    [InlineData(new[] { "train", "--data", ".", "--model", "fashion-cnn", "--ema", "1.5", "--out", "/tmp/x" }, "--ema 1.5")]
    public void BadInputGivesAClearMessageAndNonZeroExit(string[] args, string expected)
    {
        using var p = CliProcess.Start(args);
        p.WaitForExit(TimeSpan.FromSeconds(60));
        Assert.NotEqual(0, p.ExitCode);
        Assert.Contains(expected, p.Stderr);
    }

    [Fact]
    public void EmptyClassFolderIsRefusedBeforeTraining()
    {
        using var tmp = new TempDirectory();
        var data = SyntheticImages.CreateFolder(tmp.File("data"), perClass: 4, size: 8);
        Directory.CreateDirectory(Path.Combine(data, "empty"));
        using var p = CliProcess.Start(new[] { "train", "--data", data, "--model", "fashion-cnn", "--input", "16", "--out", tmp.File("run") });
        p.WaitForExit(TimeSpan.FromSeconds(60));
        Assert.NotEqual(0, p.ExitCode);
        Assert.Contains("empty", p.Stderr);
        Assert.False(File.Exists(Path.Combine(tmp.File("run"), "last.checkpoint")));
    }
}
