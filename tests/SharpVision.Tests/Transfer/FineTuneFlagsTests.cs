using System.CommandLine;
using SharpVision.Cli.Commands;
using SharpVision.Transfer;

namespace SharpVision.Tests.Transfer;

/// <summary>Every fine-tuning setting is a `sharpvision train` flag bound to its <see cref="TrainingRunOptions"/> property.</summary>
public class FineTuneFlagsTests
{
    private static TrainingRunOptions Bind(params string[] extra)
    {
        var set = new TrainOptionSet();
        var cmd = new Command("train");
        set.AddTo(cmd);
        var parse = cmd.Parse(["--data", AppContext.BaseDirectory, "--model", "mobilenet_v2", "--out", "o", "--pretrained", "mobilenet_v2", "--fine-tune", "2:3", .. extra]);
        Assert.Empty(parse.Errors);
        return set.Bind(parse);
    }

    [Fact]
    public void FineTuneSettingsBindToTheirOptions()
    {
        var o = Bind("--fine-tune-schedule", "constant", "--batch-norm", "frozen", "--head-mode", "cached", "--feature-passes", "4",
            "--feature-cache", "cache");
        Assert.Equal("constant", o.FineTuneSchedule);
        Assert.Equal(BatchNormMode.Frozen, o.BatchNorm);
        Assert.Equal(HeadPhaseMode.Cached, o.HeadPhase);
        Assert.Equal(4, o.AugmentedPasses);
        Assert.Equal("cache", o.FeatureCacheDirectory);
    }

    [Fact]
    public void DefaultsAreTheRecipes()
    {
        var o = Bind();
        var recipe = new FineTuneOptions { RunDirectory = "o" };
        Assert.Equal(recipe.FineTuneSchedule, o.FineTuneSchedule);
        Assert.Equal(recipe.BatchNorm, o.BatchNorm);
        Assert.Equal(recipe.HeadPhase, o.HeadPhase);
        Assert.Equal(recipe.AugmentedPasses, o.AugmentedPasses);
        Assert.Null(o.FeatureCacheDirectory);
        Assert.Equal("--head-mode must be auto, cached, end-to-end, got 'x'", Assert.Throws<ArgumentException>(() => Bind("--head-mode", "x")).Message);
    }
}
