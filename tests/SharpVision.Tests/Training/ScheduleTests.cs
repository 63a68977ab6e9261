using SharpVision.Training.Schedules;

namespace SharpVision.Tests.Training;

public class ScheduleTests
{
    [Fact]
    public void StepScheduleDecaysEveryNEpochs()
    {
        var s = LearningRateSchedule.Parse("step:every=2,gamma=0.5");
        Assert.Equal(1.0, s.LearningRate(1.0, step: 0, stepsPerEpoch: 10, totalEpochs: 6));
        Assert.Equal(1.0, s.LearningRate(1.0, 19, 10, 6));
        Assert.Equal(0.5, s.LearningRate(1.0, 20, 10, 6));
        Assert.Equal(0.25, s.LearningRate(1.0, 40, 10, 6));
    }

    [Fact]
    public void CosineWarmsUpLinearlyThenDecaysToMinimum()
    {
        var s = new CosineSchedule(warmupEpochs: 1, minLearningRate: 0);
        Assert.Equal(0.1, s.LearningRate(1.0, 0, 10, 3), 12);
        Assert.Equal(1.0, s.LearningRate(1.0, 9, 10, 3), 12);
        Assert.Equal(1.0, s.LearningRate(1.0, 10, 10, 3), 12);                  // start of the cosine
        Assert.Equal(0.5, s.LearningRate(1.0, 20, 10, 3), 12);                  // half way
        Assert.True(s.LearningRate(1.0, 29, 10, 3) < 0.01);
    }

    [Fact]
    public void OneCycleRisesToMaximumThenAnnealsBelowStart()
    {
        var s = new OneCycleSchedule(pctStart: 0.3, divFactor: 25, finalDivFactor: 1e4);
        const int steps = 100;
        Assert.Equal(0.04, s.LearningRate(1.0, 0, steps, 1), 12);               // max / 25
        Assert.Equal(1.0, s.LearningRate(1.0, 29, steps, 1), 12);               // peak at pct·total − 1
        Assert.Equal(0.04 / 1e4, s.LearningRate(1.0, 99, steps, 1), 12);        // final
        var mid = s.LearningRate(1.0, 64, steps, 1);
        Assert.InRange(mid, 0.4, 0.6);
    }

    [Fact]
    public void PlateauReducesAfterPatienceAndStateRoundTrips()
    {
        var s = new ReduceOnPlateauSchedule("val_loss", factor: 0.5, patience: 2);
        s.EpochEnded(0, new Dictionary<string, double> { ["val_loss"] = 1.0 });
        s.EpochEnded(1, new Dictionary<string, double> { ["val_loss"] = 1.0 });
        Assert.Equal(1.0, s.LearningRate(1.0, 0, 1, 1));
        s.EpochEnded(2, new Dictionary<string, double> { ["val_loss"] = 1.0 });
        Assert.Equal(0.5, s.LearningRate(1.0, 0, 1, 1));
        var copy = new ReduceOnPlateauSchedule("val_loss", factor: 0.5, patience: 2);
        copy.SetState(s.GetState());
        Assert.Equal(0.5, copy.LearningRate(1.0, 0, 1, 1));
    }

    [Fact]
    public void BadSpecsNameTheProblemAndListValidSchedules()
    {
        var e = Assert.Throws<FormatException>(() => LearningRateSchedule.Parse("warp:speed=9"));
        Assert.Contains("warp", e.Message);
        Assert.Contains("cosine", e.Message);
        var e2 = Assert.Throws<FormatException>(() => LearningRateSchedule.Parse("cosine:warmpu=1"));
        Assert.Contains("warmpu", e2.Message);
        Assert.Throws<FormatException>(() => LearningRateSchedule.Parse("step:every=x"));
    }

    [Fact]
    public void SpecsRoundTripThroughParse()
    {
        foreach (var spec in new[] { "constant", "step:every=3,gamma=0.2", "cosine:warmup=0.5,min=1E-05", "onecycle:pct=0.25,div=10,final_div=100" })
        {
            var s = LearningRateSchedule.Parse(spec);
            var again = LearningRateSchedule.Parse(s.Spec);
            Assert.Equal(s.Spec, again.Spec);
            Assert.Equal(s.LearningRate(0.1, 7, 10, 5), again.LearningRate(0.1, 7, 10, 5));
        }
    }
}
