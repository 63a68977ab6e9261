using System.Diagnostics;
using SharpVision.Data;
using SharpVision.Distributed;
using SharpVision.Engine;
using SharpVision.Layers;
using SharpVision.Training.Callbacks;
using SharpVision.Training.Optimizers;
using SharpVision.Training.Schedules;

namespace SharpVision.Training;

/// <summary>
/// Trains a model in the Keras spirit: <see cref="Fit"/> runs epochs of optimizer steps with validation after each,
/// records a <see cref="History"/>, calls callbacks, and checkpoints resume state after every epoch. Determinism: the
/// data order, augmentation and dropout of epoch e depend only on (seed, e), and everything else is restored from
/// the checkpoint, so a run killed at any moment and resumed ends with the same weights as an uninterrupted one.
/// </summary>
public sealed class Trainer
{
    private readonly Module model;
    private readonly Optimizer optimizer;
    private readonly LossFunction loss;
    private readonly LearningRateSchedule schedule;
    private readonly IInputPipeline pipeline;

    /// <summary>Creates a trainer.</summary>
    public Trainer(Module model, Optimizer optimizer, LossFunction loss, TrainerOptions options,
        LearningRateSchedule? schedule = null, IInputPipeline? pipeline = null)
    {
        if (options.Epochs < 1) throw new ArgumentOutOfRangeException(nameof(options), options.Epochs, "epochs must be ≥ 1");
        if (options.AccumulationSteps < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.AccumulationSteps, "AccumulationSteps must be ≥ 1");
        if (options.EmaDecay is { } decay && !ExponentialMovingAverage.IsValidDecay(decay))
            throw new ArgumentOutOfRangeException(nameof(options), decay, "EmaDecay must be in (0, 1), e.g. 0.999");
        this.model = model;
        this.optimizer = optimizer;
        this.loss = loss;
        Options = options;
        this.schedule = schedule ?? new ConstantSchedule();
        BaseLearningRate = optimizer.LearningRate;
        this.pipeline = pipeline ?? new StandardInputPipeline(options.Device, Normalization.Unit);
    }

    /// <summary>The settings.</summary>
    public TrainerOptions Options { get; }

    /// <summary>
    /// The base (maximum) learning rate: the optimizer's own rate when the trainer was created — its one source of
    /// truth. The schedule scales it at every step (<c>new Sgd(groups, 0.1)</c> trains at 0.1 × the schedule's factor).
    /// </summary>
    public double BaseLearningRate { get; }

    /// <summary>Writes the model file (weights + metadata); used by <see cref="ModelCheckpoint"/>.</summary>
    public Action<string>? ModelSaver { get; set; }

    /// <summary>
    /// Called right before the backward that ends an optimizer step, i.e. the last micro-batch's (distributed: arm the
    /// gradient reducer so that buckets are all-reduced while backward runs).
    /// </summary>
    public Action? BeforeBackward { get; set; }

    /// <summary>Called after backward and before the optimizer step (distributed gradient all-reduce).</summary>
    public Action? AfterBackward { get; set; }

    /// <summary>Called before each validation pass (distributed: broadcast BatchNorm statistics from rank 0).</summary>
    public Action? BeforeValidation { get; set; }

    /// <summary>Reduces per-epoch sums across processes (distributed training): in = local sums, out = global sums.</summary>
    public Func<double[], double[]>? ReduceSums { get; set; }

    /// <summary>False on non-zero ranks: no files are written.</summary>
    public bool IsPrimary { get; set; } = true;

    /// <summary>
    /// Called on every rank after each epoch's resume checkpoint (distributed: a barrier, so that no rank starts the
    /// next epoch — and, if it then dies, has the launcher stop rank 0 — before the checkpoint is on disk).
    /// </summary>
    public Action? AfterCheckpoint { get; set; }

    /// <summary>
    /// Trains as one rank of <paramref name="parallel"/>: <paramref name="sync"/>'s buckets are armed before the
    /// backward that ends a step and finished after it, validation uses rank 0's BatchNorm statistics, epoch sums are
    /// added over the ranks, only rank 0 writes files, and every rank waits for its checkpoint at the end of an epoch.
    /// With <see cref="DataParallel.SynchronizeBatchNorm"/> the model's BatchNorm layers normalise over the global batch
    /// from now on.
    /// </summary>
    public void JoinDataParallel(DataParallel parallel, GradientSynchronizer sync)
    {
        ArgumentNullException.ThrowIfNull(parallel);
        ArgumentNullException.ThrowIfNull(sync);
        parallel.SynchronizeBatchNormOf(model);
        IsPrimary = parallel.IsPrimary;
        ReduceSums = parallel.ReduceSums;
        BeforeBackward = sync.Prepare;
        AfterBackward = sync.Synchronize;
        BeforeValidation = sync.BroadcastBuffers;
        AfterCheckpoint = parallel.Barrier;
    }

    /// <summary>Where messages go.</summary>
    public Action<string> Log { get; set; } = Console.WriteLine;

    /// <summary>
    /// Trains for <see cref="TrainerOptions.Epochs"/> epochs (or until a callback stops it, or <paramref name="cancellation"/>
    /// fires — then the last completed epoch's checkpoint is kept for a resume).
    /// </summary>
    public History Fit(IBatchSource train, IBatchSource? validation, IEnumerable<Callback> callbacks, CancellationToken cancellation = default)
    {
        var cbs = callbacks.ToList();
        var history = new History();
        var numClasses = train.ClassNames.Count;
        var context = new TrainingContext(model, optimizer, history, Options.Epochs, train.BatchesPerEpoch,
            path => (ModelSaver ?? throw new InvalidOperationException("no ModelSaver configured to write " + path))(path))
        { IsPrimary = IsPrimary, Log = Log };
        using var augmentationRng = new Generator(Options.Seed);
        using var ema = Options.EmaDecay is { } decay ? new ExponentialMovingAverage(model, decay) : null;
        var startEpoch = 0;

        if (Options.Resume && Options.CheckpointPath is { } ckpt)
        {
            using var loaded = TrainingCheckpoint.LoadLatest(ckpt, out var warning);
            if (warning is not null) Log("warning: " + warning);
            if (loaded is not null)
            {
                if (!string.IsNullOrEmpty(Options.Fingerprint) && !string.IsNullOrEmpty(loaded.State.Fingerprint) && loaded.State.Fingerprint != Options.Fingerprint)
                    throw new InvalidOperationException(
                        $"{loaded.Path} was written by a run with different settings; refusing to resume.\n  checkpoint: {loaded.State.Fingerprint}\n  this run:   {Options.Fingerprint}");
                Restore(loaded, history, cbs, augmentationRng, ema);
                startEpoch = loaded.State.EpochsCompleted;
                context.GlobalStep = loaded.State.GlobalStep;
                Log($"Resumed from {loaded.Path}: {startEpoch} epoch(s) done, step {loaded.State.GlobalStep}.");
                if (loaded.State.StopReason is not null)
                {
                    Log($"That run had already stopped ({loaded.State.StopReason}).");
                    startEpoch = Options.Epochs;
                }
            }
            else Log($"No checkpoint at {ckpt} yet; starting from scratch.");
        }

        foreach (var cb in cbs) cb.OnTrainBegin(context);
        for (var epoch = startEpoch; epoch < Options.Epochs && !context.StopTraining; epoch++)
        {
            cancellation.ThrowIfCancellationRequested();
            context.Epoch = epoch;
            SeedEpoch(augmentationRng, epoch);
            foreach (var cb in cbs) cb.OnEpochBegin(context, epoch);
            var sw = Stopwatch.StartNew();
            var trainSums = TrainEpoch(train, epoch, numClasses, augmentationRng, context, cbs, ema, cancellation);
            var metrics = Summarize(trainSums, "", numClasses);
            var seconds = sw.Elapsed.TotalSeconds;
            metrics["images_per_second"] = trainSums[2] / Math.Max(1e-9, seconds);
            if (validation is not null && ema is not null && Options.EmaValidateRawWeights)
            {
                BeforeValidation?.Invoke();
                foreach (var (k, v) in Summarize(EvaluateSums(validation, numClasses), "raw_val_", numClasses)) metrics[k] = v;
            }
            // From here to the resume checkpoint the model holds the averaged weights: they are what is validated,
            // and what ModelCheckpoint / EarlyStopping see; the checkpoint below needs the raw weights back.
            using (ema?.Apply())
            {
                if (validation is not null)
                {
                    BeforeValidation?.Invoke();
                    foreach (var (k, v) in Summarize(EvaluateSums(validation, numClasses), "val_", numClasses)) metrics[k] = v;
                }
                metrics["lr"] = optimizer.LearningRate;
                metrics["epoch_seconds"] = sw.Elapsed.TotalSeconds;
                history.Add(metrics);
                schedule.EpochEnded(epoch, metrics);
                foreach (var cb in cbs) cb.OnEpochEnd(context, epoch, metrics);
            }
            if (Options.CheckpointPath is { } path)
            {
                if (IsPrimary) SaveCheckpoint(path, epoch + 1, context, history, cbs, augmentationRng, ema);
                AfterCheckpoint?.Invoke();
            }
        }
        // Keras' finalize: the trained model is the averaged one (before OnTrainEnd, so that EarlyStopping's restore
        // of its best weights, themselves averaged, still wins).
        ema?.CopyToModel();
        foreach (var cb in cbs) cb.OnTrainEnd(context);
        if (context.StopReason is not null) Log(context.StopReason);
        return history;
    }

    /// <summary>Loss, accuracy and top-k accuracy of the model on a data source (eval mode, no augmentation).</summary>
    public Dictionary<string, double> Evaluate(IBatchSource data) => Summarize(EvaluateSums(data, data.ClassNames.Count), "", data.ClassNames.Count);

    private void SeedEpoch(Generator augmentationRng, int epoch)
    {
        var s = SplitMix(Options.Seed ^ ((ulong)epoch * 0x9E3779B97F4A7C15UL) ^ ((ulong)Options.Rank << 48));
        augmentationRng.Seed(s);
        Torch.ManualSeed(SplitMix(s));
    }

    internal static ulong SplitMix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }

    // Sums: [loss × n, correct, n, top-k correct].
    private double[] TrainEpoch(IBatchSource train, int epoch, int numClasses, Generator rng, TrainingContext context, List<Callback> cbs,
        ExponentialMovingAverage? ema, CancellationToken ct)
    {
        model.Train();
        var sums = new double[4];
        var batch = 0;
        var start = Stopwatch.StartNew();
        foreach (var b in train.GetBatches(epoch))
        {
            using (b)
            {
                ct.ThrowIfCancellationRequested();
                foreach (var cb in cbs) cb.OnBatchBegin(context, batch);
                optimizer.LearningRate = schedule.LearningRate(BaseLearningRate, context.GlobalStep, train.BatchesPerEpoch, Options.Epochs);
                using (var scope = Torch.NewDisposeScope())
                {
                    var inputs = pipeline.Prepare(b.Inputs, training: true, rng);
                    var labels = b.Labels.To(Options.Device);
                    Tensor target = labels;
                    var mixed = pipeline.Mix(inputs, labels, numClasses, rng);
                    if (mixed is { } m)
                    {
                        inputs = m.Inputs;
                        target = m.SoftTargets;
                    }
                    optimizer.ZeroGrad();
                    var n = b.Count;
                    var parts = MicroBatch.Split(n, Options.AccumulationSteps);
                    foreach (var part in parts)
                    {
                        // Micro-batches (--accumulate): gradients add up over the parts, each loss weighted by its share
                        // of the batch, so the step sees the batch's mean loss; only the last backward is synchronised.
                        using var partScope = Torch.NewDisposeScope();
                        var whole = parts.Count == 1;
                        var logits = model.Call(whole ? inputs : inputs.Narrow(0, part.Start, part.Count));
                        var lossValue = loss.Compute(logits, whole ? target : target.Narrow(0, part.Start, part.Count));
                        if (part.IsLast) BeforeBackward?.Invoke();
                        (whole ? lossValue : lossValue.Mul((double)part.Count / n)).Backward();
                        sums[0] += lossValue.Item() * part.Count;
                        var (correct, topk) = CountCorrect(logits, whole ? labels : labels.Narrow(0, part.Start, part.Count), numClasses);
                        sums[1] += correct;
                        sums[3] += topk;
                    }
                    AfterBackward?.Invoke();
                    if (Options.ClipGradientNorm is { } maxNorm) ClipGradients(maxNorm);
                    optimizer.Step();
                    ema?.Update();
                    sums[2] += n;
                }
                context.GlobalStep++;
                var logs = new Dictionary<string, double>
                {
                    ["loss"] = sums[0] / Math.Max(1, sums[2]),
                    ["accuracy"] = sums[1] / Math.Max(1, sums[2]),
                    ["images_per_second"] = sums[2] / Math.Max(1e-9, start.Elapsed.TotalSeconds),
                    ["lr"] = optimizer.LearningRate,
                };
                foreach (var cb in cbs) cb.OnBatchEnd(context, batch, logs);
                batch++;
            }
        }
        return ReduceSums is null ? sums : ReduceSums(sums);
    }

    private double[] EvaluateSums(IBatchSource data, int numClasses)
    {
        model.Eval();
        var sums = new double[4];
        using var noGrad = Torch.NoGrad();
        using var rng = new Generator(0);
        foreach (var b in data.GetBatches(0))
        {
            using (b)
            using (var scope = Torch.NewDisposeScope())
            {
                var inputs = pipeline.Prepare(b.Inputs, training: false, rng);
                var labels = b.Labels.To(Options.Device);
                var logits = model.Call(inputs);
                var lossValue = loss.Compute(logits, labels);
                sums[0] += lossValue.Item() * b.Count;
                var (correct, topk) = CountCorrect(logits, labels, numClasses);
                sums[1] += correct;
                sums[2] += b.Count;
                sums[3] += topk;
            }
        }
        return ReduceSums is null ? sums : ReduceSums(sums);
    }

    private (double Correct, double TopK) CountCorrect(Tensor logits, Tensor labels, int numClasses)
    {
        using var scope = Torch.NewDisposeScope();
        using var noGrad = Torch.NoGrad();
        if (logits.Shape[1] == 1)
        {
            var predicted = logits.Gt(0).Squeeze(1).To(DType.Int64);
            var c = predicted.Eq(labels).To(DType.Int64).Sum().Item();
            return (c, c);
        }
        var pred = logits.Argmax(1);
        var correct = pred.Eq(labels).To(DType.Int64).Sum().Item();
        var k = Math.Min(Options.TopK, numClasses);
        var (_, idx) = logits.TopK(k, 1);
        var hits = idx.Eq(labels.Unsqueeze(1)).To(DType.Int64).Sum().Item();
        return (correct, hits);
    }

    private Dictionary<string, double> Summarize(double[] sums, string prefix, int numClasses)
    {
        var n = Math.Max(1, sums[2]);
        var m = new Dictionary<string, double>
        {
            [prefix + "loss"] = sums[0] / n,
            [prefix + "accuracy"] = sums[1] / n,
        };
        if (Options.TopK < numClasses && Options.TopK > 1) m[$"{prefix}top{Options.TopK}_accuracy"] = sums[3] / n;
        return m;
    }

    private void ClipGradients(double maxNorm)
    {
        using var scope = Torch.NewDisposeScope();
        using var noGrad = Torch.NoGrad();
        var grads = model.Parameters().Where(p => p.RequiresGrad).Select(p => p.Value.Grad).OfType<Tensor>().ToList();
        if (grads.Count == 0) return;
        double total = 0;
        foreach (var g in grads)
        {
            var norm = g.Norm().Item();
            total += norm * norm;
        }
        total = Math.Sqrt(total);
        var coef = maxNorm / (total + 1e-6);
        if (coef >= 1) return;
        foreach (var g in grads) g.Mul_(coef);
    }

    private void SaveCheckpoint(string path, int epochsCompleted, TrainingContext context, History history, List<Callback> cbs, Generator rng,
        ExponentialMovingAverage? ema)
    {
        var modelState = model.StateDict();
        var optimState = optimizer.StateDict();
        var extra = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var es in cbs.OfType<EarlyStopping>())
            if (es.BestWeights is { } bw)
                foreach (var (k, t) in bw) extra[$"{es.StateKey}/{k}"] = t;
        if (ema is not null)
            foreach (var (k, t) in ema.Shadow) extra[ExponentialMovingAverage.CheckpointPrefix + k] = t;
        try
        {
            using var defaultGen = Generator.Default;
            var state = new TrainerState
            {
                EpochsCompleted = epochsCompleted,
                GlobalStep = context.GlobalStep,
                HistoryJson = history.ToJson(),
                Schedule = schedule.GetState(),
                Callbacks = cbs.ToDictionary(c => c.StateKey, c => c.GetState()),
                AugmentationRng = Convert.ToBase64String(rng.GetState()),
                TorchRng = Convert.ToBase64String(defaultGen.GetState()),
                Fingerprint = Options.Fingerprint,
                StopReason = context.StopTraining ? context.StopReason : null,
                EmaUpdates = ema?.Updates,
            };
            TrainingCheckpoint.Save(path, modelState, optimState, extra, state);
        }
        finally
        {
            foreach (var t in modelState.Values.Concat(optimState.Values)) t.Dispose();
        }
    }

    private void Restore(TrainingCheckpoint.Loaded loaded, History history, List<Callback> cbs, Generator rng, ExponentialMovingAverage? ema)
    {
        model.LoadStateDict(loaded.Model, strict: true);
        if (ema is not null)
        {
            var shadow = ExponentialMovingAverage.FromCheckpoint(loaded);
            if (shadow.Count > 0) ema.Load(shadow, loaded.State.EmaUpdates ?? 0);
            else
            {
                Log($"warning: {loaded.Path} has no weight average; the average starts again from the restored weights");
                ema.Reset();
            }
        }
        optimizer.LoadStateDict(loaded.Optimizer);
        schedule.SetState(loaded.State.Schedule);
        foreach (var e in History.FromJson(loaded.State.HistoryJson).Epochs) history.Add(e);
        foreach (var cb in cbs)
        {
            if (loaded.State.Callbacks.TryGetValue(cb.StateKey, out var st)) cb.SetState(st);
            if (cb is EarlyStopping es)
            {
                var prefix = es.StateKey + "/";
                var weights = loaded.Extra.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal))
                    .ToDictionary(kv => kv.Key[prefix.Length..], kv => kv.Value, StringComparer.Ordinal);
                if (weights.Count > 0) es.SetBestWeights(weights);
            }
        }
        if (loaded.State.AugmentationRng is { } a) rng.SetState(Convert.FromBase64String(a));
        if (loaded.State.TorchRng is { } t)
        {
            using var g = Generator.Default;
            g.SetState(Convert.FromBase64String(t));
        }
    }
}
