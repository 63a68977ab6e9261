using SharpVision.Cli;
using SharpVision.Training;

namespace SharpVision.Tests.Application;

/// <summary>The library's errors name its options (properties); the CLI shows its own flags for them.</summary>
public class TrainingRunErrorTests
{
    [Fact]
    public void LibraryErrorNamesTheOptionNotAFlag()
    {
        var options = new TrainingRunOptions { DataPath = "unused", Model = "lenet5", OutputDirectory = "unused", EmaDecay = 1.5 };
        var e = Assert.Throws<ArgumentException>(() => TrainingRun.Run(options, _ => { }));
        Assert.StartsWith("EmaDecay 1.5: the decay must be between 0 and 1", e.Message);
        Assert.Equal(nameof(TrainingRunOptions.EmaDecay), e.ParamName);
        Assert.DoesNotContain("--", e.Message);
        Assert.DoesNotContain("--", Assert.Throws<ArgumentException>(() => TrainingRun.ParseOptimizer("adagrad")).Message);
    }

    [Fact]
    public void CliShowsItsFlagsForTheOptionsAnErrorNames()
    {
        var e = new ArgumentException("FindLearningRate does not apply to FineTune (two phases, two rates)", nameof(TrainingRunOptions.FindLearningRate));
        Assert.Equal("--lr auto does not apply to --fine-tune (two phases, two rates)", CliErrors.Message(e));
        Assert.Equal("--optimizer must be adam, adamw, sgd or rmsprop, got 'x'",
            CliErrors.Message(Assert.Throws<ArgumentException>(() => TrainingRun.ParseOptimizer("x"))));
    }
}
