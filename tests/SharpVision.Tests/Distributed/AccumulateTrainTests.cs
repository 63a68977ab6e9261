using SharpVision.Engine;
using SharpVision.Engine.IO;
using SharpVision.Tests.Support;

namespace SharpVision.Tests.Distributed;

/// <summary>
/// `sharpvision train` with the native reducer and --accumulate: 2 workers, with and without accumulation, and one
/// process with accumulation all end with the weights of one process with the global batch (café CNN: no BatchNorm,
/// no dropout, so the global batch's gradient is exactly the mean of the parts').
/// </summary>
[Collection(DistributedCollection.Name)]
public class AccumulateTrainTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);

    private static string[] Train(string data, string output, params string[] extra) => TrainWith(data, output, "0.02", "2", extra);

    private static string[] TrainWith(string data, string output, string lr, string epochs, params string[] extra) => new[]
    {
        "train", "--data", data, "--model", "cafe-cnn", "--input", "64", "--epochs", epochs, "--batch", "16", "--val-split", "0",
        "--optimizer", "sgd", "--lr", lr, "--seed", "7", "--health", "off", "--no-progress", "--threads", "1", "--out", output,
    }.Concat(extra).ToArray();

    private static void Run(IEnumerable<string> args)
    {
        using var p = CliProcess.Start(args);
        Assert.True(p.WaitForExit(Limit), "did not finish: " + p.Output);
        Assert.True(p.ExitCode == 0, p.Output);
    }

    [Fact]
    public void TwoWorkers_AndAccumulation_EqualOneProcessWithTheGlobalBatch()
    {
        using var tmp = new TempDirectory("sv-accumulate");
        var data = SyntheticImages.CreateFolder(tmp.File("data"), perClass: 16, size: 64, seed: 3);
        Run(Train(data, tmp.File("single")));
        Run(Train(data, tmp.File("single-acc2"), "--accumulate", "2"));
        Run(new[] { "launch", "--nproc", "2", "--" }.Concat(Train(data, tmp.File("two"))));
        Run(new[] { "launch", "--nproc", "2", "--" }.Concat(Train(data, tmp.File("two-acc2-fp32"), "--accumulate", "2", "--grad-compression", "none")));
        Run(TrainWith(data, tmp.File("initial"), "1e-12", "1"));

        using var scope = Torch.NewDisposeScope();
        var reference = SafeTensors.Load(Path.Combine(tmp.File("single"), "model.safetensors")).Tensors;
        foreach (var run in new[] { "single-acc2", "two", "two-acc2-fp32" })
        {
            var weights = SafeTensors.Load(Path.Combine(tmp.File(run), "model.safetensors")).Tensors;
            Assert.Equal(reference.Keys.Order(), weights.Keys.Order());
            foreach (var (name, expected) in reference)
            {
                var diff = weights[name].Sub(expected).Abs().Max().Item();
                Assert.True(diff <= 1e-5, $"{run}: {name} differs from one process with the global batch by {diff}");
            }
        }
        // Training moved the weights, so the comparison is not between two initialisations.
        var initial = SafeTensors.Load(Path.Combine(tmp.File("initial"), "model.safetensors")).Tensors;
        Assert.True(reference.Keys.Max(k => initial[k].Sub(reference[k]).Abs().Max().Item()) > 1e-3);
    }

    [Theory]
    [InlineData("--accumulate", "0", "--accumulate must be at least 1")]
    [InlineData("--accumulate", "3", "--accumulate 3: the batch of 16 images per process does not split into 3 equal micro-batches")]
    [InlineData("--grad-compression", "zip", "--grad-compression must be one of none, fp16, got 'zip'")]
    public void BadValues_FailWithAOneLineError(string option, string value, string message)
    {
        using var tmp = new TempDirectory("sv-accumulate-bad");
        var data = SyntheticImages.CreateFolder(tmp.File("data"), perClass: 2, size: 8, seed: 1);
        using var p = CliProcess.Start(Train(data, tmp.File("run"), option, value));
        Assert.True(p.WaitForExit(Limit));
        Assert.NotEqual(0, p.ExitCode);
        Assert.Contains(message, p.Stderr);
        Assert.Single(p.Stderr.Trim().Split('\n'));
        Assert.False(Directory.Exists(tmp.File("run")), "nothing is written for bad options");
    }
}
