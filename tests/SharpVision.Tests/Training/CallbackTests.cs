using SharpVision.Engine;
using SharpVision.Layers;
using SharpVision.Reports.TensorBoard;
using SharpVision.Tests.Support;
using SharpVision.Training;
using SharpVision.Training.Callbacks;
using SharpVision.Training.Optimizers;

namespace SharpVision.Tests.Training;

public class CallbackTests
{
    private sealed class Recorder : Callback
    {
        public List<string> Events { get; } = new();
        public override void OnTrainBegin(TrainingContext c) => Events.Add("train_begin");
        public override void OnEpochBegin(TrainingContext c, int e) => Events.Add($"epoch_begin {e}");
        public override void OnBatchEnd(TrainingContext c, int b, IReadOnlyDictionary<string, double> logs) => Events.Add("batch");
        public override void OnEpochEnd(TrainingContext c, int e, IReadOnlyDictionary<string, double> m) => Events.Add($"epoch_end {e}");
        public override void OnTrainEnd(TrainingContext c) => Events.Add("train_end");
    }

    private static (Linear Model, Trainer Trainer, Optimizer Opt, LossFunction Loss) Setup(int epochs, double lr = 0.1)
    {
        Torch.ManualSeed(1);
        using var generator = new Generator(1); // the weights of ManualSeed(1), whatever parallel tests draw meanwhile
        Linear model;
        using (Init.UseGenerator(generator)) model = new Linear(4, 2);
        var opt = new Sgd(new[] { new ParameterGroup(model.NamedParameters().Select(p => new NamedTensor(p.Name, p.Parameter.Value))) }, lr);
        var loss = new LossFunction();
        var trainer = new Trainer(model, opt, loss, new TrainerOptions { Epochs = epochs }) { Log = _ => { } };
        return (model, trainer, opt, loss);
    }

    [Fact]
    public void HooksRunInKerasOrderAndHistoryHasEveryMetric()
    {
        var (model, trainer, opt, loss) = Setup(2);
        using var _m = model; using var _o = opt; using var _l = loss;
        var rec = new Recorder();
        var history = trainer.Fit(new BlobSource(24, 0), new BlobSource(16, 1), new[] { rec });
        Assert.Equal("train_begin", rec.Events[0]);
        Assert.Equal("epoch_begin 0", rec.Events[1]);
        Assert.Equal(3, rec.Events.Count(e => e == "batch") / 2);
        Assert.Equal("train_end", rec.Events[^1]);
        Assert.Equal(2, history.Count);
        foreach (var key in new[] { "loss", "accuracy", "val_loss", "val_accuracy", "lr", "images_per_second" })
            Assert.True(history[1].ContainsKey(key), key);
        Assert.True(history[1]["val_accuracy"] > 0.9);
    }

    [Fact]
    public void EarlyStoppingStopsAfterPatienceAndRestoresTheBestWeights()
    {
        // lr = 0 → nothing improves after the first epoch.
        var (model, trainer, opt, loss) = Setup(10, lr: 0.0);
        using var _m = model; using var _o = opt; using var _l = loss;
        using var early = new EarlyStopping("val_loss", patience: 2, restoreBestWeights: true);
        var history = trainer.Fit(new BlobSource(16, 0), new BlobSource(8, 1), new Callback[] { early });
        Assert.Equal(3, history.Count);
        Assert.Equal(3, early.StoppedEpoch);
    }

    [Fact]
    public void ModelCheckpointSavesOnlyImprovements()
    {
        using var tmp = new TempDirectory();
        var saves = new List<string>();
        var (model, trainer, opt, loss) = Setup(3, lr: 0.0);
        using var _m = model; using var _o = opt; using var _l = loss;
        trainer.ModelSaver = p => saves.Add(p);
        var ckpt = new ModelCheckpoint(tmp.File("best.safetensors"), "val_accuracy");
        trainer.Fit(new BlobSource(16, 0), new BlobSource(8, 1), new Callback[] { ckpt });
        Assert.Single(saves); // lr 0: epochs 2 and 3 equal epoch 1, no improvement
        Assert.Equal(1, ckpt.BestEpoch);
    }

    [Fact]
    public void CsvLoggerAndTensorBoardLoggerWriteEveryEpoch()
    {
        using var tmp = new TempDirectory();
        var (model, trainer, opt, loss) = Setup(3);
        using var _m = model; using var _o = opt; using var _l = loss;
        using var tb = new TensorBoardLogger(tmp.Path, everyNSteps: 1, hparams: new Dictionary<string, object> { ["optimizer"] = "sgd", ["lr"] = 0.1, ["augment"] = false });
        trainer.Fit(new BlobSource(16, 0), new BlobSource(8, 1), new Callback[] { new CsvLogger(tmp.File("history.csv")), tb });
        var history = History.FromCsv(File.ReadAllText(tmp.File("history.csv")));
        Assert.Equal(3, history.Count);
        // Keras' layout: train/ and validation/ runs with the same tags, so TensorBoard draws them in one chart.
        List<(long Step, SummaryValue Value)> Scalars(string run, string tag) => EventFileReader.ReadAll(Directory.GetFiles(Path.Combine(tmp.Path, run), "events.out.tfevents.*").Single())
            .SelectMany(e => e.Values.Select(v => (e.Step, v))).Where(x => x.v.Tag == tag).ToList();
        var valAcc = Scalars("validation", "epoch/accuracy");
        Assert.Equal(new long[] { 1, 2, 3 }, valAcc.Select(x => x.Step));
        Assert.Equal(history.Series("val_accuracy").Select(v => (float?)(float)v), valAcc.Select(x => x.Value.SimpleValue));
        Assert.Equal(history.Series("accuracy").Select(v => (float?)(float)v), Scalars("train", "epoch/accuracy").Select(x => x.Value.SimpleValue));
        Assert.Empty(Scalars("train", "epoch/val_accuracy"));
        Assert.NotEmpty(Scalars("train", "batch/loss"));
        // The HParams tab's session record sits in the run folder itself.
        var session = EventFileReader.ReadAll(Directory.GetFiles(tmp.Path, "events.out.tfevents.*").Single()).SelectMany(e => e.Values).Single();
        Assert.Equal("_hparams_/session_start_info", session.Tag);
        Assert.Equal("hparams", session.PluginName);
    }
}
