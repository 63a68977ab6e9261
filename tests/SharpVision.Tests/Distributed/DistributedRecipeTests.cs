using SharpVision.Engine;
using SharpVision.Engine.IO;
using SharpVision.Tests.Support;
using SharpVision.Training;

namespace SharpVision.Tests.Distributed;

/// <summary>
/// The recipes on several workers: fine-tuning (both phases, shared feature cache, EMA), cross-validation folds,
/// resuming with another number of workers, and `launch --max-restarts`. Tiny data (36 images of 28 px, LeNet-5),
/// one thread per worker.
/// </summary>
[Collection(DistributedCollection.Name)]
public class DistributedRecipeTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(150);

    // 3 classes × 12 images; fold 1 of 3 holds out 12, leaving 24 = 3 global batches of 8 (no partial batch, so the
    // workers' drop-last changes nothing).
    private static string[] Train(string data, string run, int epochs, params string[] extra) => new[]
    {
        "train", "--data", data, "--model", "lenet5", "--input", "28", "--epochs", epochs.ToString(), "--batch", "8", "--val-fold", "1/3",
        "--optimizer", "sgd", "--lr", "0.05", "--momentum", "0.9", "--seed", "7", "--out", run, "--no-progress", "--no-unknown",
    }.Concat(extra).ToArray();

    private static string[] Launch(int workers, string[] command, params string[] launchOptions) =>
        new[] { "launch", "--nproc", workers.ToString() }.Concat(launchOptions).Concat(new[] { "--" }).Concat(command).ToArray();

    private static void Run(string[] args, IReadOnlyDictionary<string, string>? environment = null, Action<CliProcess>? check = null)
    {
        using var p = CliProcess.Start(args, environment);
        Assert.True(p.WaitForExit(Limit), $"{string.Join(' ', args.Take(3))} did not finish: " + p.Output);
        Assert.True(p.ExitCode == 0, p.Output);
        check?.Invoke(p);
    }

    /// <summary>Largest absolute difference between the tensors of two safetensors files (same names required).</summary>
    internal static double MaxDifference(string expectedFile, string actualFile)
    {
        using var scope = Torch.NewDisposeScope();
        var expected = SafeTensors.Load(expectedFile).Tensors;
        var actual = SafeTensors.Load(actualFile).Tensors;
        Assert.Equal(expected.Keys.OrderBy(k => k), actual.Keys.OrderBy(k => k));
        return expected.Max(kv => kv.Value.DType is DType.Float32 or DType.Float64 ? actual[kv.Key].Sub(kv.Value).Abs().Max().Item() : 0);
    }

    /// <summary>A LeNet-5 trained for one epoch (the "pretrained" weights), and the `train --fine-tune 2:2` command line from it.</summary>
    private static (string Weights, Func<string, string[], string[]> FineTune) Pretrained(TempDirectory tmp, int seed)
    {
        var data = SyntheticImages.CreateFolder(tmp.File("data"), perClass: 12, size: 28, seed: seed);
        var weights = Path.Combine(tmp.File("pre"), "model.safetensors");
        Run(Train(data, tmp.File("pre"), 1));
        return (weights, (run, extra) => Train(data, run, 1, new[] { "--pretrained", weights, "--fine-tune", "2:2" }.Concat(extra).ToArray()));
    }

    [Fact]
    public void TwoWorkersFineTuning_BothPhasesWithEma_EqualsOneProcessWithTheGlobalBatch()
    {
        using var tmp = new TempDirectory("sv-dist-ft");
        var (pretrained, fineTune) = Pretrained(tmp, seed: 4);
        string[] FineTune(string run) => fineTune(run, new[] { "--ema", "0.9" });

        Run(FineTune(tmp.File("single")));
        Run(Launch(2, FineTune(tmp.File("dual"))), check: p =>
        {
            Assert.Contains("[rank 0] Distributed: 2 processes, global batch 8 = 4 per process, both phases", p.Stdout);
            Assert.Contains("phase 2: fine-tuning", p.Stdout);
            Assert.DoesNotContain("[rank 1] phase", p.Stdout); // rank 1 trains silently
        });

        // Rank 0 wrote one feature cache of the whole folder; rank 1 loaded it instead of writing its own.
        Assert.True(File.Exists(Path.Combine(tmp.File("dual"), "features-all.safetensors")));
        Assert.Equal(2 + 2, History.FromCsv(File.ReadAllText(Path.Combine(tmp.File("dual"), "history.csv"))).Count);
        var diff = MaxDifference(Path.Combine(tmp.File("single"), "final.safetensors"), Path.Combine(tmp.File("dual"), "final.safetensors"));
        Assert.True(diff <= 1e-5, $"2 workers differ from 1 process by {diff}");
        // Fine-tuning moved the weights away from the pretrained ones: the comparison is not between two copies of them.
        Assert.True(MaxDifference(pretrained, Path.Combine(tmp.File("single"), "final.safetensors")) > 1e-3);
    }

    [Fact]
    public void FineTuningInterruptedOnTwoWorkers_ResumedWithOne_EqualsAnUninterruptedRun()
    {
        using var tmp = new TempDirectory("sv-dist-ft-resume");
        var (_, fineTune) = Pretrained(tmp, seed: 5);
        string[] FineTune(string run, params string[] extra) => fineTune(run, extra);

        Run(FineTune(tmp.File("whole")));
        // Rank 1 dies at the start of the head phase's second epoch; the job stops with the first epoch's checkpoint.
        using (var interrupted = CliProcess.Start(Launch(2, FineTune(tmp.File("split"))), new Dictionary<string, string> { ["SHARPVISION_INTERNAL_EXIT_AT"] = "1:1" }))
        {
            Assert.True(interrupted.WaitForExit(Limit), interrupted.Output);
            Assert.Equal(1, interrupted.ExitCode);
        }
        Assert.False(File.Exists(Path.Combine(tmp.File("split"), "final.safetensors")));
        Run(FineTune(tmp.File("split"), "--resume"), check: p => Assert.Contains("1 epoch(s) done", p.Stdout));
        var diff = MaxDifference(Path.Combine(tmp.File("whole"), "final.safetensors"), Path.Combine(tmp.File("split"), "final.safetensors"));
        Assert.True(diff <= 1e-5, $"fine-tuning on 2 workers then 1 differs from 1 process by {diff}");
    }

    [Fact]
    public void CheckpointWithTwoWorkers_ResumedWithOne_EqualsAnUninterruptedRun()
    {
        using var tmp = new TempDirectory("sv-dist-resume");
        var data = SyntheticImages.CreateFolder(tmp.File("data"), perClass: 12, size: 28, seed: 6);
        Run(Train(data, tmp.File("whole"), 3));
        Run(Launch(2, Train(data, tmp.File("split"), 2)));
        Run(Train(data, tmp.File("split"), 3, "--resume"), check: p => Assert.Contains("2 epoch(s) done", p.Stdout));
        var diff = MaxDifference(Path.Combine(tmp.File("whole"), "model.safetensors"), Path.Combine(tmp.File("split"), "model.safetensors"));
        Assert.True(diff <= 1e-5, $"2 workers then 1 differ from 1 process by {diff}");
        Assert.Equal(3, History.FromCsv(File.ReadAllText(Path.Combine(tmp.File("split"), "history.csv"))).Count);
    }

    [Fact]
    public void MaxRestarts_RestartsTheGroupFromItsCheckpoint_AndEndsWithTheWeightsOfAnUninterruptedRun()
    {
        using var tmp = new TempDirectory("sv-dist-restart");
        var data = SyntheticImages.CreateFolder(tmp.File("data"), perClass: 12, size: 28, seed: 8);
        Run(Launch(2, Train(data, tmp.File("whole"), 3)));
        Run(Launch(2, Train(data, tmp.File("restarted"), 3), "--max-restarts", "1"),
            new Dictionary<string, string> { ["SHARPVISION_INTERNAL_EXIT_AT"] = "1:2" }, p =>
            {
                Assert.Contains("launch: rank 1 failed with exit code 3", p.Stderr);
                Assert.Contains("launch: restarting the group from its last checkpoint (restart 1 of 1", p.Stderr);
                Assert.Contains("[rank 0] Resumed from", p.Stdout);
            });
        Assert.Equal(0, MaxDifference(Path.Combine(tmp.File("whole"), "model.safetensors"), Path.Combine(tmp.File("restarted"), "model.safetensors")));

        // Without a restart left, the failure is the launch's exit code.
        using var failing = CliProcess.Start(Launch(2, Train(data, tmp.File("failed"), 3)), new Dictionary<string, string> { ["SHARPVISION_INTERNAL_EXIT_AT"] = "1:1" });
        Assert.True(failing.WaitForExit(Limit), failing.Output);
        Assert.Equal(1, failing.ExitCode);
        Assert.DoesNotContain("restarting", failing.Stderr);
    }

    [Fact]
    public void MixUpCutMixAndEmaOnTwoWorkers_AreSeededPerRank_SoARepeatedRunEndsWithTheSameWeights()
    {
        using var tmp = new TempDirectory("sv-dist-mix");
        var data = SyntheticImages.CreateFolder(tmp.File("data"), perClass: 12, size: 28, seed: 9);
        string[] Mixed(string run) => Train(data, run, 2, "--augment", "flip=h,mixup=0.4,cutmix=1", "--ema", "0.9");
        Run(Launch(2, Mixed(tmp.File("a"))), check: p => Assert.DoesNotContain("[rank 1] Best", p.Stdout)); // rank 1 neither reports nor calibrates
        Run(Launch(2, Mixed(tmp.File("b"))));
        Run(Launch(2, Train(data, tmp.File("plain"), 2, "--ema", "0.9")));
        var a = Path.Combine(tmp.File("a"), "model.safetensors");
        Assert.Equal(0, MaxDifference(a, Path.Combine(tmp.File("b"), "model.safetensors")));
        // The mixing changed what was learned: it is applied, not ignored, on the workers.
        Assert.True(MaxDifference(Path.Combine(tmp.File("plain"), "model.safetensors"), a) > 1e-4);
        Assert.Equal(2, History.FromCsv(File.ReadAllText(Path.Combine(tmp.File("a"), "history.csv"))).Count);
    }
}
