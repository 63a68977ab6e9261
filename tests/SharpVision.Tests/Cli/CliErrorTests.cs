using SharpVision.Cli;
using SharpVision.Engine;
using SharpVision.Tests.Support;

namespace SharpVision.Tests.Cli;

public class CliErrorTests
{
    private static CliProcess Run(params string[] args)
    {
        var p = CliProcess.Start(args);
        p.WaitForExit(TimeSpan.FromSeconds(60));
        return p;
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [Theory]
    [InlineData(new[] { "trian", "--data", "x" }, "error: unknown verb 'trian'; did you mean train?")]
    [InlineData(new[] { "train", "--data", ".", "--model", "fashion-cnn", "--out", "/tmp/x", "--epocs", "3" }, "error: unknown option '--epocs'; did you mean --epochs?")]
    [InlineData(new[] { "train", "--data", ".", "--model", "fashion-cnn", "--out", "/tmp/x", "--epochs", "abc" }, "error: --epochs: 'abc' is not a whole number")]
    [InlineData(new[] { "train", "--data", ".", "--model", "fashion-cnn" }, "error: --out is required")]
    public void UsageErrorsAreOneLinePlusTheUsageLineAndExitCode2(string[] args, string expected)
    {
        using var p = Run(args);
        Assert.Equal(2, p.ExitCode);
        var lines = Lines(p.Stderr);
        Assert.Equal(2, lines.Length); // the error and the usage line, no 55-line help dump
        Assert.Equal(expected, lines[0]);
        Assert.StartsWith("usage: sharpvision", lines[1]);
        Assert.DoesNotContain("System.", p.Output);
        Assert.Equal("", p.Stdout.Trim());
    }

    [Fact]
    public void ExceptionMessagesLoseDotNetDecorations()
    {
        var e = new ArgumentOutOfRangeException("learningRate", -1.0, "learning rate must be ≥ 0");
        Assert.Contains("(Parameter", e.Message);
        Assert.Equal("learning rate must be ≥ 0", CliErrors.Message(e));
    }

    [Fact]
    public void OptionValuesAreCheckedBeforeTheDataIsOpened()
    {
        using var tmp = new TempDirectory();
        var data = SyntheticImages.CreateFolder(tmp.File("data"), perClass: 4, size: 8);
        using var p = Run("train", "--data", data, "--model", "fashion-cnn", "--batch", "0", "--out", tmp.File("run"));
        Assert.Equal(2, p.ExitCode);
        Assert.Equal("error: --batch must be at least 1", Lines(p.Stderr).Single());
        Assert.DoesNotContain("Data:", p.Stdout);
    }

    [Fact]
    public void ACudaDeviceOnACpuBuildIsOneLine()
    {
        if (Cuda.IsAvailable) return; // only a CPU-only libtorch (Debian's) can refuse it
        using var tmp = new TempDirectory();
        File.WriteAllText(tmp.File("model.safetensors"), "not used: the device is checked first");
        foreach (var verb in new[] { new[] { "predict", "--model", tmp.File("model.safetensors"), tmp.File("x.png") },
                     new[] { "explain", "--model", tmp.File("model.safetensors"), tmp.File("x.png") },
                     new[] { "evaluate", "--model", tmp.File("model.safetensors"), "--data", tmp.Path },
                     new[] { "serve", "--model", tmp.File("model.safetensors") },
                     new[] { "audit", "--data", tmp.Path, "--out", tmp.File("audit") } })
        {
            using var p = Run(verb.Concat(new[] { "--device", "cuda" }).ToArray());
            Assert.Equal(2, p.ExitCode);
            var line = Lines(p.Stderr).Single();
            Assert.StartsWith("error: --device cuda: CUDA is not available", line);
            Assert.DoesNotContain("aten::", p.Output);
        }
    }

    [Theory]
    [InlineData("train")]
    [InlineData("lr-find")]
    [InlineData("predict")]
    [InlineData("explain")]
    [InlineData("demo")]
    [InlineData("evaluate")]
    [InlineData("serve")]
    [InlineData("audit")]
    [InlineData("calibrate-unknown")]
    public void VerbsThatRunAModelTakeDevice(string verb)
    {
        using var p = Run(verb, "--help");
        Assert.Equal(0, p.ExitCode);
        Assert.Contains("--device", p.Stdout);
    }

    [Fact]
    public void PredictOnASingleUnreadableFileFails()
    {
        using var tmp = new TempDirectory();
        SharpVision.Tests.Explain.ColourSquares.TrainAndSave(tmp.File("model.safetensors"), steps: 1, seed: 1);
        File.WriteAllText(tmp.File("broken.jpg"), "garbage");
        using var p = Run("predict", "--model", tmp.File("model.safetensors"), tmp.File("broken.jpg"));
        Assert.Equal(2, p.ExitCode);
        Assert.Contains("broken.jpg", Lines(p.Stderr).Single());
        Assert.Equal("", p.Stdout.Trim());
    }

    [Fact]
    public void LaunchPassesAWorkersUsageErrorOnAsExitCode2()
    {
        using var p = Run("launch", "--nproc", "1", "--", "trian");
        Assert.Equal(2, p.ExitCode);
        Assert.Contains("did you mean train", p.Stderr);
    }
}
