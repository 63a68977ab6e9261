using SharpVision.Engine;
using SharpVision.Engine.IO;
using SharpVision.Tests.Support;

namespace SharpVision.Tests.Distributed;

/// <summary>
/// `train --sync-batch-norm`: 2 workers of a BatchNorm model (fashion-cnn without dropout) end with the weights and
/// running statistics of one process with the global batch; without the flag they do not.
/// </summary>
/// <remarks>
/// One step of the global batch (48 images, 24 per worker): the step whose gradient and statistics SyncBatchNorm must
/// reproduce. More steps test the network's sensitivity instead: with flat synthetic images a 1e-7 difference flips
/// whole regions of ReLUs at once, and after six steps one process alone differs from itself by 1.4e-4 between 1 and 2
/// intra-op threads (measured on an AMD EPYC, family 25). After one step the synchronised run is within float32
/// rounding of one process, and the unsynchronised one is far away (its running statistics come from half the batch).
/// </remarks>
[Collection(DistributedCollection.Name)]
public class SyncBatchNormTrainTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);

    private static string[] Train(string data, string output, params string[] extra) => new[]
    {
        "train", "--data", data, "--model", "fashion-cnn", "--input", "32", "--dropout", "0", "--epochs", "1", "--batch", "48",
        "--val-split", "0", "--optimizer", "sgd", "--lr", "0.02", "--seed", "7", "--health", "off", "--no-progress", "--threads", "1",
        "--out", output,
    }.Concat(extra).ToArray();

    private static string Run(IEnumerable<string> args)
    {
        using var p = CliProcess.Start(args);
        Assert.True(p.WaitForExit(Limit), "did not finish: " + p.Output);
        Assert.True(p.ExitCode == 0, p.Output);
        return p.Stdout;
    }

    // The largest difference between two runs' model files, over every tensor (weights and BatchNorm buffers).
    private static double MaxDifference(string runA, string runB, string file = "model.safetensors")
    {
        using var scope = Torch.NewDisposeScope();
        var a = SafeTensors.Load(Path.Combine(runA, file)).Tensors;
        var b = SafeTensors.Load(Path.Combine(runB, file)).Tensors;
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        return a.Keys.Max(k => a[k].To(DType.Float64).Sub(b[k].To(DType.Float64)).Abs().Max().Item());
    }

    [Fact]
    public void TwoWorkers_WithSyncBatchNorm_EqualOneProcessWithTheGlobalBatch_AndWithoutItDiffer()
    {
        using var tmp = new TempDirectory("sv-syncbn");
        var data = SyntheticImages.CreateFolder(tmp.File("data"), perClass: 16, size: 32, seed: 3);
        Run(Train(data, tmp.File("single")));
        var oneProcess = Run(Train(data, tmp.File("single-sync"), "--sync-batch-norm"));
        var launched = Run(new[] { "launch", "--nproc", "2", "--" }.Concat(Train(data, tmp.File("two-sync"), "--sync-batch-norm")));
        Run(new[] { "launch", "--nproc", "2", "--" }.Concat(Train(data, tmp.File("two"))));

        Assert.Equal(0, MaxDifference(tmp.File("single"), tmp.File("single-sync")));   // one process: a no-op
        Assert.DoesNotContain("SyncBatchNorm", oneProcess);
        Assert.Contains("SyncBatchNorm: 2 BatchNorm layers normalise with the statistics of the global batch of 48", launched);
        var synced = MaxDifference(tmp.File("single"), tmp.File("two-sync"));
        Assert.True(synced <= 1e-5, $"2 workers with --sync-batch-norm differ from one process with the global batch by {synced}");
        var local = MaxDifference(tmp.File("single"), tmp.File("two"));
        Assert.True(local > 1e-3, $"2 workers without --sync-batch-norm should normalise per worker and differ, but differ by only {local}");
        Assert.Contains("\"SyncBatchNorm\": true", File.ReadAllText(Path.Combine(tmp.File("two-sync"), "run.json")));
    }

    [Fact]
    public void FineTuningWithBatchStatistics_OnTwoWorkersWithSyncBatchNorm_EqualsOneProcess()
    {
        using var tmp = new TempDirectory("sv-syncbn-ft");
        var data = SyntheticImages.CreateFolder(tmp.File("data"), perClass: 16, size: 32, seed: 5);
        Run(Train(data, tmp.File("pre")));
        var pretrained = Path.Combine(tmp.File("pre"), "model.safetensors");
        // Both phases, one step each: the head on cached features, then the unfrozen blocks with their BatchNorm layers
        // normalising with batch statistics (--batch-norm batch), the case SyncBatchNorm exists for in fine-tuning.
        string[] FineTune(string output, params string[] extra) =>
            Train(data, output, new[] { "--pretrained", pretrained, "--fine-tune", "1:1", "--batch-norm", "batch", "--no-unknown" }.Concat(extra).ToArray());
        Run(FineTune(tmp.File("single")));
        var launched = Run(new[] { "launch", "--nproc", "2", "--" }.Concat(FineTune(tmp.File("two-sync"), "--sync-batch-norm")));
        Run(new[] { "launch", "--nproc", "2", "--" }.Concat(FineTune(tmp.File("two"))));

        Assert.Contains("phase 2: fine-tuning", launched);
        var synced = MaxDifference(tmp.File("single"), tmp.File("two-sync"), "final.safetensors");
        Assert.True(synced <= 1e-5, $"fine-tuning on 2 workers with --sync-batch-norm differs from one process by {synced}");
        var local = MaxDifference(tmp.File("single"), tmp.File("two"), "final.safetensors");
        Assert.True(local > 1e-3, $"fine-tuning on 2 workers without --sync-batch-norm should differ, but differs by only {local}");
    }

    [Fact]
    public void AModelWithoutBatchNorm_GetsANote_AndABadValueIsRefused()
    {
        using var tmp = new TempDirectory("sv-syncbn-note");
        var data = SyntheticImages.CreateFolder(tmp.File("data"), perClass: 2, size: 28, seed: 1);
        var args = new[]
        {
            "train", "--data", data, "--model", "lenet5", "--epochs", "1", "--batch", "4", "--val-split", "0", "--health", "off",
            "--no-progress", "--threads", "1", "--sync-batch-norm", "--out", tmp.File("run"),
        };
        Assert.Contains("note: SyncBatchNorm: lenet5 has no BatchNorm layer; nothing to synchronise", Run(args));

        using var p = CliProcess.Start(args.Select(a => a == "--sync-batch-norm" ? "--sync-batch-norm=maybe" : a).Select(a => a.EndsWith("run") ? a + "-bad" : a));
        Assert.True(p.WaitForExit(Limit));
        Assert.NotEqual(0, p.ExitCode);
        Assert.Contains("unknown argument 'maybe'", p.Stderr); // the parser's error (the flag takes no value)
        Assert.False(Directory.Exists(tmp.File("run-bad")), "nothing is written for a bad option");
    }
}
