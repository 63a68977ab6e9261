using SharpVision.Engine;
using SharpVision.Engine.IO;
using SharpVision.Models;
using SharpVision.Tests.Support;
using SharpVision.Training;

namespace SharpVision.Tests.Training;

[Collection("Serial")]
public class FineTuneCliTests
{
    [Fact]
    public void TrainWithPretrainedAndFineTuneRunsBothPhasesAndWritesAFullModel()
    {
        using var tmp = new TempDirectory();
        var data = SyntheticImages.CreateFolder(tmp.File("data"), perClass: 20, size: 32, seed: 9);
        var weights = ImageNetShapedResNet18(tmp, seed: 11);
        var run = tmp.File("run");
        using var p = CliProcess.Start(new[] { "train", "--data", data, "--model", "resnet18", "--input", "32", "--pretrained", weights,
            "--fine-tune", "1:1", "--unfreeze", "layer3,layer4", "--discriminative", "0.1", "--batch", "8", "--threads", "1", "--out", run, "--no-progress" });
        Assert.True(p.WaitForExit(TimeSpan.FromSeconds(180)), "fine-tune run timed out: " + p.Output);
        Assert.True(p.ExitCode == 0, p.Output);
        Assert.Contains("fc.weight", p.Stdout); // the load report names the replaced head
        // Discriminative rates: the lowest unfrozen block at a tenth of the fine-tune rate, the head at the full rate.
        Assert.Contains("group layer3: lr × 0.1 ", p.Stdout);
        Assert.Matches(@"group head: lr × 1 \(", p.Stdout);
        var history = History.FromCsv(File.ReadAllText(Path.Combine(run, "history.csv")));
        Assert.Equal(2, history.Count);
        var descriptor = ModelFile.ReadDescriptor(Path.Combine(run, "best.safetensors"));
        Assert.Equal(3, descriptor.ClassNames.Count);
        Assert.Equal(SharpVision.Data.NormalizationMode.ImageNet, descriptor.Normalization.Mode);
        using var file = SafeTensorsFile.Open(Path.Combine(run, "best.safetensors"));
        Assert.Equal(new long[] { 3, 512 }, file.Info("fc.weight").Shape);
    }

    [Fact]
    public void TheHealthMonitorWatchesFineTuningToo()
    {
        using var tmp = new TempDirectory();
        var data = SyntheticImages.CreateFolder(tmp.File("data"), perClass: 12, size: 32, seed: 5);
        var weights = ImageNetShapedResNet18(tmp, seed: 12);
        var run = tmp.File("run");
        // A rate at which the head cannot learn: the loss stays at ln 3, and the monitor says so with advice.
        using var p = CliProcess.Start(new[] { "train", "--data", data, "--model", "resnet18", "--input", "32", "--pretrained", weights,
            "--fine-tune", "2:0", "--lr", "1e-9", "--optimizer", "sgd", "--batch", "8", "--threads", "1", "--out", run, "--no-progress", "--no-unknown" });
        Assert.True(p.WaitForExit(TimeSpan.FromSeconds(180)), "fine-tune run timed out: " + p.Output);
        Assert.Contains("health: the training loss is", p.Stdout);
        Assert.Contains("\"health\"", File.ReadAllText(Path.Combine(run, "run.json")));
    }

    [Fact]
    public void FeatureTapsFromTheCommandLineSizeTheHeadAndAreRecordedInTheModelFile()
    {
        using var tmp = new TempDirectory();
        var data = SyntheticImages.CreateFolder(tmp.File("data"), perClass: 8, size: 32, seed: 5);
        var run = tmp.File("run");
        using var p = CliProcess.Start(new[] { "train", "--data", data, "--model", "resnet18", "--input", "32", "--feature-taps", "layer2, layer3",
            "--epochs", "1", "--batch", "8", "--threads", "1", "--out", run, "--no-progress" });
        Assert.True(p.WaitForExit(TimeSpan.FromSeconds(120)), "run timed out: " + p.Output);
        Assert.True(p.ExitCode == 0, p.Output);
        var descriptor = ModelFile.ReadDescriptor(Path.Combine(run, "model.safetensors"));
        Assert.Equal(new[] { "layer2", "layer3" }, descriptor.Options.FeatureTaps);
        using var file = SafeTensorsFile.Open(Path.Combine(run, "model.safetensors"));
        Assert.Equal(new long[] { 3, 512 + 128 + 256 }, file.Info("fc.weight").Shape);

        using var bad = CliProcess.Start(new[] { "train", "--data", data, "--model", "resnet18", "--input", "32", "--feature-taps", "layer9",
            "--epochs", "1", "--out", tmp.File("bad"), "--no-progress" });
        Assert.True(bad.WaitForExit(TimeSpan.FromSeconds(60)));
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("'layer9'", bad.Stderr);
        Assert.Contains("layer1, layer2, layer3", bad.Stderr);
    }

    [Fact]
    public void FineTuneWithoutPretrainedWeightsIsRefused()
    {
        using var p = CliProcess.Start(new[] { "train", "--data", ".", "--model", "resnet18", "--fine-tune", "1:1", "--out", "/tmp/none" });
        p.WaitForExit(TimeSpan.FromSeconds(60));
        Assert.NotEqual(0, p.ExitCode);
        Assert.Contains("--pretrained", p.Stderr);
    }

    /// <summary>A "pretrained" ImageNet-shaped resnet18 (random weights, 1000 classes) in torchvision naming.</summary>
    private static string ImageNetShapedResNet18(TempDirectory tmp, ulong seed)
    {
        var weights = tmp.File("resnet18-imagenet.safetensors");
        Torch.ManualSeed(seed);
        using var imagenet = ModelZoo.Create("resnet18", new ModelOptions { NumClasses = 1000, InputHeight = 32, InputWidth = 32 });
        var state = imagenet.StateDict();
        SafeTensors.Save(weights, state);
        foreach (var t in state.Values) t.Dispose();
        return weights;
    }
}
