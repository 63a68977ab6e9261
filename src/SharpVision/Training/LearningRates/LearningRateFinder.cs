using SharpVision.Data;
using SharpVision.Engine;
using SharpVision.Layers;
using SharpVision.Training.Optimizers;

namespace SharpVision.Training.LearningRates;

/// <summary>
/// fastai's learning-rate range test (Smith 2015): trains for a few mini-batches while raising the learning rate
/// exponentially, records the loss at each rate, and suggests a rate from the curve. The sweep runs on the model's
/// own parameters but restores them (and the random generator) afterwards, so the run that follows starts from exactly
/// the initial weights; the optimizer of the sweep is a fresh one and is discarded.
/// </summary>
public sealed class LearningRateFinder
{
    private readonly Module model;
    private readonly Func<double, Optimizer> createOptimizer;
    private readonly LossFunction loss;
    private readonly IInputPipeline pipeline;

    /// <summary>Creates the finder.</summary>
    /// <param name="model">The model (its weights are restored after the sweep).</param>
    /// <param name="createOptimizer">Makes the optimizer the run will use, at a given rate (a new one for the sweep).</param>
    /// <param name="loss">The run's loss.</param>
    /// <param name="pipeline">The run's input pipeline (augmentation, normalisation).</param>
    /// <param name="options">Sweep settings.</param>
    public LearningRateFinder(Module model, Func<double, Optimizer> createOptimizer, LossFunction loss, IInputPipeline pipeline,
        LearningRateFinderOptions? options = null)
    {
        this.model = model;
        this.createOptimizer = createOptimizer;
        this.loss = loss;
        this.pipeline = pipeline;
        Options = options ?? new LearningRateFinderOptions();
        Options.Validate();
    }

    /// <summary>The sweep settings.</summary>
    public LearningRateFinderOptions Options { get; }

    /// <summary>Seed of the sweep's augmentation and dropout.</summary>
    public ulong Seed { get; init; }

    /// <summary>Runs the sweep over <paramref name="train"/>'s batches and returns the curve with its suggestion.</summary>
    public LearningRateFinderResult Run(IBatchSource train, CancellationToken cancellation = default)
    {
        var rates = new List<double>();
        var losses = new List<double>();
        var smoothed = new List<double>();
        var numClasses = train.ClassNames.Count;
        var initial = model.StateDict().ToDictionary(kv => kv.Key, kv => Snapshot(kv.Value), StringComparer.Ordinal);
        byte[] torchRng;
        using (var g = Generator.Default) torchRng = g.GetState();
        var wasTraining = model.Training;
        var diverged = false;
        try
        {
            using var optimizer = createOptimizer(Options.StartLearningRate);
            using var rng = new Generator(Seed);
            Torch.ManualSeed(Seed);
            model.Train();
            var ratio = Options.EndLearningRate / Options.StartLearningRate;
            double average = 0, best = double.PositiveInfinity;
            var step = 0;
            for (var epoch = 0; step < Options.Steps && !diverged; epoch++)
            {
                var any = false;
                foreach (var b in train.GetBatches(epoch))
                {
                    using (b)
                    {
                        any = true;
                        cancellation.ThrowIfCancellationRequested();
                        var lr = Options.StartLearningRate * Math.Pow(ratio, (double)step / (Options.Steps - 1));
                        optimizer.LearningRate = lr;
                        var value = TrainStep(b, optimizer, numClasses, rng);
                        step++;
                        rates.Add(lr);
                        losses.Add(value);
                        average = Options.Smoothing * average + (1 - Options.Smoothing) * value;
                        var s = average / (1 - Math.Pow(Options.Smoothing, step));
                        smoothed.Add(s);
                        if (!double.IsFinite(s) || (step > 1 && s > Options.DivergenceFactor * best)) diverged = true;
                        else best = Math.Min(best, s);
                    }
                    if (step >= Options.Steps || diverged) break;
                }
                if (!any) throw new ArgumentException("the learning-rate finder needs training data, and the training set is empty");
            }
        }
        finally
        {
            model.LoadStateDict(initial);
            foreach (var t in initial.Values) t.Dispose();
            using (var g = Generator.Default) g.SetState(torchRng);
            model.Train(wasTraining);
            model.ZeroGrad();
        }
        return LearningRateFinderResult.From(rates, losses, smoothed, diverged);
    }

    private double TrainStep(LabeledBatch b, Optimizer optimizer, int numClasses, Generator rng)
    {
        using var scope = Torch.NewDisposeScope();
        var inputs = pipeline.Prepare(b.Inputs, training: true, rng);
        var labels = b.Labels.To(inputs.Device);
        Tensor target = labels;
        if (pipeline.Mix(inputs, labels, numClasses, rng) is { } m)
        {
            inputs = m.Inputs;
            target = m.SoftTargets;
        }
        var lossValue = loss.Compute(model.Call(inputs), target);
        optimizer.ZeroGrad();
        lossValue.Backward();
        optimizer.Step();
        return lossValue.Item();
    }

    private static Tensor Snapshot(Tensor alias)
    {
        using (alias) return alias.Clone().DetachFromDisposeScope();
    }
}
