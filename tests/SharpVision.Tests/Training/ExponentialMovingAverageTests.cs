using SharpVision.Engine;
using SharpVision.Layers;
using SharpVision.Tests.Support;
using SharpVision.Training;
using SharpVision.Training.Callbacks;
using SharpVision.Training.Optimizers;

namespace SharpVision.Tests.Training;

public class ExponentialMovingAverageTests
{
    private static float[] Values(Module model, string name)
    {
        var p = model.NamedParameters().Single(x => x.Name == name).Parameter.Value;
        using var noGrad = Torch.NoGrad();
        return p.ToArray<float>();
    }

    private static void Set(Module model, string name, params float[] values)
    {
        var p = model.NamedParameters().Single(x => x.Name == name).Parameter.Value;
        using var noGrad = Torch.NoGrad();
        using var src = Tensor.FromArray(values, p.Shape);
        p.Copy_(src);
    }

    [Fact]
    public void UpdatesFollowTheDecayWithTensorFlowsWarmUp()
    {
        using var model = new Linear(2, 1);
        Set(model, "weight", 1f, 2f);
        using var ema = new ExponentialMovingAverage(model, decay: 0.9);
        Assert.Equal(0.1, ema.CurrentDecay, 12); // min(0.9, 1/10)

        Set(model, "weight", 3f, 6f);
        ema.Update();
        // decay 0.1: 0.1·old + 0.9·new
        Assert.Equal(new[] { 0.1f * 1 + 0.9f * 3, 0.1f * 2 + 0.9f * 6 }, ema.Shadow["weight"].ToArray<float>(), (a, b) => Math.Abs(a - b) < 1e-6);
        Assert.Equal(2.0 / 11, ema.CurrentDecay, 12);
        Assert.Equal(1, ema.Updates);

        using var plain = new ExponentialMovingAverage(model, decay: 0.9, warmUp: false);
        Set(model, "weight", 13f, 16f);
        plain.Update();
        Assert.Equal(new[] { 0.9f * 3 + 0.1f * 13, 0.9f * 6 + 0.1f * 16 }, plain.Shadow["weight"].ToArray<float>(), (a, b) => Math.Abs(a - b) < 1e-5);
        // The training weights themselves are untouched by an update.
        Assert.Equal(new[] { 13f, 16f }, Values(model, "weight"));
    }

    [Fact]
    public void ApplySwapsTheAverageInAndRestoresTheTrainingWeightsExactly()
    {
        using var model = new Linear(2, 1);
        Set(model, "weight", 1f, 2f);
        using var ema = new ExponentialMovingAverage(model, decay: 0.5, warmUp: false);
        Set(model, "weight", 3f, 4f);
        ema.Update(); // shadow = (2, 3)
        using (ema.Apply())
            Assert.Equal(new[] { 2f, 3f }, Values(model, "weight"));
        Assert.Equal(new[] { 3f, 4f }, Values(model, "weight"));
        ema.CopyToModel();
        Assert.Equal(new[] { 2f, 3f }, Values(model, "weight"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExponentialMovingAverage(model, 1.0));
    }

    private static (Linear Model, Sgd Optimizer, LossFunction Loss) Setup()
    {
        // Explicit initial weights: the global libtorch generator is shared with tests running in parallel.
        var model = new Linear(4, 2);
        var rng = new Random(7);
        Set(model, "weight", Enumerable.Range(0, 8).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray());
        Set(model, "bias", 0.1f, -0.1f);
        var opt = new Sgd(new[] { new ParameterGroup(model.NamedParameters().Select(p => new NamedTensor(p.Name, p.Parameter.Value))) }, 0.05, momentum: 0.9);
        return (model, opt, new LossFunction());
    }

    [Fact]
    public void TrainingWithAnAverageValidatesAndKeepsTheAveragedWeights()
    {
        using var dir = new TempDirectory();
        var (model, opt, loss) = Setup();
        using var _m = model; using var _o = opt; using var _l = loss;
        var trainer = new Trainer(model, opt, loss, new TrainerOptions
        {
            Epochs = 3, EmaDecay = 0.8, CheckpointPath = dir.File("last.checkpoint"),
        })
        { Log = _ => { } };
        var validation = new BlobSource(16, 1);
        // What epoch-end callbacks (ModelCheckpoint, EarlyStopping) see is the model that was validated.
        var seenByCallbacks = new List<(double Reported, double Measured)>();
        var probe = new EpochEndProbe((_, m) => seenByCallbacks.Add((m["val_loss"], trainer.Evaluate(validation)["loss"])));
        var history = trainer.Fit(new BlobSource(32, 0), validation, new Callback[] { probe });
        Assert.Equal(3, seenByCallbacks.Count);
        Assert.All(seenByCallbacks, s => Assert.Equal(s.Reported, s.Measured, 6));

        Assert.All(history.Epochs, e => Assert.True(e.ContainsKey("raw_val_loss") && e.ContainsKey("raw_val_accuracy")));
        // The model we end with is the one the last val_* figures describe.
        var after = trainer.Evaluate(validation);
        Assert.Equal(history[^1]["val_loss"], after["loss"], 6);

        using var ckpt = TrainingCheckpoint.Load(dir.File("last.checkpoint"));
        var average = ExponentialMovingAverage.FromCheckpoint(ckpt);
        Assert.Equal(new[] { "bias", "weight" }, average.Keys.Order());
        Assert.Equal(average["weight"].ToArray<float>(), Values(model, "weight"));
        // ... which is not the raw weights of the last step (stored for an exact resume).
        Assert.NotEqual(ckpt.Model["weight"].ToArray<float>(), Values(model, "weight"));
        Assert.NotEqual(history[^1]["val_loss"], history[^1]["raw_val_loss"]);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Trainer(model, opt, loss, new TrainerOptions { EmaDecay = 0 }));
    }

    private sealed class EpochEndProbe(Action<int, IReadOnlyDictionary<string, double>> onEpochEnd) : Callback
    {
        public override void OnEpochEnd(TrainingContext context, int epoch, IReadOnlyDictionary<string, double> metrics) => onEpochEnd(epoch, metrics);
    }

    [Fact]
    public void AResumedRunWithAnAverageEndsWithTheSameWeightsAsAnUninterruptedOne()
    {
        using var dir = new TempDirectory();
        float[] Train(string checkpoint, int epochs, bool resume)
        {
            var (model, opt, loss) = Setup();
            using var _m = model; using var _o = opt; using var _l = loss;
            var trainer = new Trainer(model, opt, loss, new TrainerOptions
            {
                Epochs = epochs, EmaDecay = 0.7, CheckpointPath = checkpoint, Resume = resume, Seed = 5,
            })
            { Log = _ => { } };
            trainer.Fit(new BlobSource(32, 0), new BlobSource(16, 1), Array.Empty<Callback>());
            return Values(model, "weight").Concat(Values(model, "bias")).ToArray();
        }

        var uninterrupted = Train(dir.File("a.checkpoint"), 4, resume: false);
        Train(dir.File("b.checkpoint"), 2, resume: false);
        var resumed = Train(dir.File("b.checkpoint"), 4, resume: true);
        Assert.Equal(uninterrupted, resumed);
        using var ckpt = TrainingCheckpoint.Load(dir.File("b.checkpoint"));
        Assert.Equal(16, ckpt.State.EmaUpdates); // 4 epochs × 4 batches of 8
    }
}
