using SharpVision.Models;
using SharpVision.Tests.Support;
using SharpVision.Training;

namespace SharpVision.Tests.Distributed;

/// <summary>`sharpvision launch --nproc 2 -- train …`: real data-parallel training of a zoo model over Gloo.</summary>
[Collection(DistributedCollection.Name)]
public class LaunchTrainTests
{
    [Fact]
    public void LaunchTrainsAZooModelWithTwoWorkersAndOnlyRankZeroWritesTheRun()
    {
        using var tmp = new TempDirectory("sv-launch-train");
        var data = SyntheticImages.CreateFolder(tmp.File("data"), perClass: 40, size: 16, seed: 5);
        var run = tmp.File("run");
        using var launch = CliProcess.Start(new[]
        {
            "launch", "--nproc", "2", "--", "train", "--data", data, "--model", "fashion-cnn", "--input", "16", "--epochs", "8",
            "--batch", "16", "--lr", "0.004", "--out", run, "--no-progress",
        });
        Assert.True(launch.WaitForExit(TimeSpan.FromSeconds(150)), "launch did not finish: " + launch.Output);
        Assert.True(launch.ExitCode == 0, launch.Output);
        Assert.Contains("[rank 0] Distributed: 2 processes, global batch 16 = 8 per process", launch.Stdout);
        Assert.DoesNotContain("[rank 1] Epoch", launch.Stdout); // rank 1 trains silently
        Assert.True(File.Exists(Path.Combine(run, "model.safetensors")));
        var history = History.FromCsv(File.ReadAllText(Path.Combine(run, "history.csv")));
        Assert.Equal(8, history.Count);
        Assert.True(history.Series("val_accuracy").Max() > 0.7, string.Join(", ", history.Series("val_accuracy")));
        Assert.Equal("fashion-cnn", ModelFile.ReadDescriptor(Path.Combine(run, "model.safetensors")).Architecture);
    }

    [Fact]
    public void LrAutoOnTwoWorkers_TrainsBothWithTheRateLrFindSuggests_AndOnlyRankZeroWritesTheCurve()
    {
        using var tmp = new TempDirectory("sv-launch-lr-auto");
        var data = SyntheticImages.CreateFolder(tmp.File("data"), perClass: 20, size: 16, seed: 6);
        string[] common = { "--data", data, "--model", "fashion-cnn", "--input", "16", "--batch", "8", "--seed", "3", "--val-split", "0" };
        string suggested;
        using (var find = CliProcess.Start(new[] { "lr-find", "--threads", "1", "--out", tmp.File("find") }.Concat(common)))
        {
            Assert.True(find.WaitForExit(TimeSpan.FromSeconds(120)), find.Output);
            Assert.True(find.ExitCode == 0, find.Output);
            suggested = System.Text.RegularExpressions.Regex.Match(find.Stdout, @"Suggested learning rate: (\S+) ").Groups[1].Value;
            Assert.NotEqual("", suggested);
        }
        var run = tmp.File("run");
        using var launch = CliProcess.Start(new[] { "launch", "--nproc", "2", "--threads-per-worker", "1", "--", "train", "--epochs", "1", "--lr", "auto",
            "--out", run, "--no-progress" }.Concat(common));
        Assert.True(launch.WaitForExit(TimeSpan.FromSeconds(150)), "launch did not finish: " + launch.Output);
        Assert.True(launch.ExitCode == 0, launch.Output);
        // Each worker swept as `lr-find` does with one thread, so rank 0's (broadcast) rate is lr-find's suggestion.
        Assert.Contains($"[rank 0] Training with --lr {suggested} (lr-find's suggestion)", launch.Stdout);
        Assert.DoesNotContain("[rank 1] Training with", launch.Stdout);
        Assert.True(File.Exists(Path.Combine(run, "lr-find.png")));
        var history = History.FromCsv(File.ReadAllText(Path.Combine(run, "history.csv")));
        Assert.Equal(double.Parse(suggested, System.Globalization.CultureInfo.InvariantCulture), history[0]["lr"], 6);
    }
}
