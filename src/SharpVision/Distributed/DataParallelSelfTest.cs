using System.Diagnostics;
using SharpVision.Engine;
using SharpVision.Engine.Distributed;

namespace SharpVision.Distributed;

/// <summary>
/// A complete data-parallel training loop on raw tensors, used by <c>sharpvision dist-selftest</c>, the tests and the
/// benchmark, and the reference for wiring distributed training into a trainer: broadcast rank 0's weights, shard each
/// global batch with <see cref="DistributedSampler"/>, forward/backward the local shard, average gradients with
/// <see cref="GradientSynchronizer"/>, step SGD, and reduce the metrics with <see cref="MetricsReducer"/>.
/// </summary>
/// <remarks>
/// With W ranks and a global batch G, rank r trains on its G/W samples of each global batch; the averaged gradient equals
/// the gradient of the mean loss over the G samples, so W processes end with the same weights as one process with
/// batch G (up to float rounding).
/// </remarks>
public static class DataParallelSelfTest
{
    /// <summary>Trains <see cref="SelfTestOptions.Steps"/> SGD steps. <paramref name="beforeStep"/> (may be null) is called with each step index.</summary>
    /// <param name="options">Settings, identical on every rank.</param>
    /// <param name="group">The process group, or null for a single process.</param>
    /// <param name="beforeStep">Hook run before each step (failure injection in tests).</param>
    public static SelfTestResult Run(SelfTestOptions options, ProcessGroup? group, Action<int>? beforeStep = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var rank = group?.Rank ?? 0;
        var worldSize = group?.WorldSize ?? 1;
        options.Validate(worldSize);
        var localBatch = options.GlobalBatch / worldSize;

        // Same data on every rank; the weights deliberately differ off rank 0 until the broadcast aligns them.
        using var data = Torch.NewDisposeScope();
        using var dataGen = new Generator(options.Seed * 7919 + 13);
        var images = Tensor.Randn(new long[] { options.Samples, 3, options.ImageSize, options.ImageSize }, dataGen).DetachFromDisposeScope();
        var labels = Tensor.Randint(0, options.Classes, new long[] { options.Samples }, dataGen).DetachFromDisposeScope();
        var model = CreateModel(options, options.Seed + (ulong)rank * 1000);
        try
        {
            var trainable = model.Where(kv => kv.Value.RequiresGrad).ToList();
            var momentum = trainable.Select(kv => Tensor.Zeros(kv.Value.Shape, kv.Value.DType).DetachFromDisposeScope()).ToArray();
            using var sync = new GradientSynchronizer(group, model.Values.ToList(), bucketBytes: options.BucketBytes);
            sync.BroadcastParameters();

            var sampler = new DistributedSampler(options.Samples, rank, worldSize, shuffle: true, seed: options.Seed, dropLast: true);
            var stepsPerEpoch = sampler.SamplesPerRank / localBatch;
            var totals = new EpochTotals();
            var clock = new Stopwatch();
            var syncClock = new Stopwatch();
            int[] shard = Array.Empty<int>();
            for (var step = 0; step < options.Steps; step++)
            {
                beforeStep?.Invoke(step);
                if (step == 1) clock.Start();
                var epoch = step / stepsPerEpoch;
                if (step % stepsPerEpoch == 0) shard = sampler.Indices(epoch);
                var offset = step % stepsPerEpoch * localBatch;

                using var scope = Torch.NewDisposeScope();
                var index = Tensor.FromArray(shard.AsSpan(offset, localBatch).ToArray().Select(i => (long)i).ToArray());
                var x = images.IndexSelect(0, index);
                var y = labels.IndexSelect(0, index);
                var logits = Forward(options.Model, model, x);
                var loss = Functional.CrossEntropy(logits, y);
                sync.Prepare();
                loss.Backward();
                if (step >= 1) syncClock.Start();
                sync.Synchronize();
                syncClock.Stop();
                using (Torch.NoGrad())
                {
                    for (var i = 0; i < trainable.Count; i++)
                    {
                        var p = trainable[i].Value;
                        var g = p.Grad ?? throw new InvalidOperationException($"parameter {trainable[i].Key} got no gradient");
                        momentum[i].Mul_(options.Momentum).Add_(g);
                        p.Sub_(momentum[i], options.LearningRate);
                        p.ZeroGrad();
                    }
                    var correct = logits.Argmax(1).Eq(y).Sum().ItemLong();
                    totals = totals.AddBatch(loss.Item(), correct, localBatch);
                }
            }
            clock.Stop();
            foreach (var m in momentum) m.Dispose();
            var global = new MetricsReducer(group).Reduce(totals);
            var throughput = options.Steps > 1 ? (options.Steps - 1) * (double)options.GlobalBatch / clock.Elapsed.TotalSeconds : double.NaN;
            var weights = new Dictionary<string, Tensor>();
            foreach (var kv in model) weights[kv.Key] = kv.Value.Detach().DetachFromDisposeScope();
            var syncPerStep = options.Steps > 1 ? syncClock.Elapsed.TotalSeconds / (options.Steps - 1) : double.NaN;
            return new SelfTestResult(weights, global, throughput, syncPerStep);
        }
        finally
        {
            foreach (var t in model.Values) t.Dispose();
            images.Dispose();
            labels.Dispose();
        }
    }

    /// <summary>The model's tensors by name, in a fixed order (Kaiming-normal weights from <paramref name="seed"/>, zero biases).</summary>
    private static Dictionary<string, Tensor> CreateModel(SelfTestOptions o, ulong seed)
    {
        using var gen = new Generator(seed);
        var m = new Dictionary<string, Tensor>();
        void Conv(string name, int cin, int cout)
        {
            m[name + ".weight"] = Kaiming(new long[] { cout, cin, 3, 3 }, cin * 9, gen);
            m[name + ".bias"] = Tensor.Zeros(new long[] { cout }).RequiresGrad_().DetachFromDisposeScope();
        }
        void Dense(string name, int cin, int cout)
        {
            m[name + ".weight"] = Kaiming(new long[] { cout, cin }, cin, gen);
            m[name + ".bias"] = Tensor.Zeros(new long[] { cout }).RequiresGrad_().DetachFromDisposeScope();
        }
        if (o.Model == SelfTestModel.Tiny)
        {
            // A frozen parameter: it must be skipped by the gradient all-reduce on every rank.
            m["input.scale"] = Tensor.Full(new long[] { 1, 3, 1, 1 }, 0.5).DetachFromDisposeScope();
            Conv("conv1", 3, 8);
            Conv("conv2", 8, 16);
            Dense("fc", 16, o.Classes);
        }
        else
        {
            Conv("conv1", 3, 32);
            Conv("conv2", 32, 64);
            Conv("conv3", 64, 128);
            var side = o.ImageSize / 8;
            Dense("fc1", 128 * side * side, 256);
            Dense("fc2", 256, o.Classes);
        }
        return m;
    }

    private static Tensor Kaiming(long[] shape, int fanIn, Generator gen)
    {
        using var r = Tensor.Randn(shape, gen);
        var w = r.Mul(Math.Sqrt(2.0 / fanIn));
        w.RequiresGrad = true;
        return w.DetachFromDisposeScope();
    }

    private static Tensor Forward(SelfTestModel kind, Dictionary<string, Tensor> m, Tensor x)
    {
        if (kind == SelfTestModel.Tiny)
        {
            var h = x.Mul(m["input.scale"]);
            h = Functional.Relu(Functional.Conv2d(h, m["conv1.weight"], m["conv1.bias"], padding: (1, 1)));
            h = Functional.MaxPool2d(h, (2, 2));
            h = Functional.Relu(Functional.Conv2d(h, m["conv2.weight"], m["conv2.bias"], padding: (1, 1)));
            h = Functional.AdaptiveAvgPool2d(h, (1, 1)).Flatten(1);
            return Functional.Linear(h, m["fc.weight"], m["fc.bias"]);
        }
        var y = x;
        foreach (var name in new[] { "conv1", "conv2", "conv3" })
        {
            y = Functional.Relu(Functional.Conv2d(y, m[name + ".weight"], m[name + ".bias"], padding: (1, 1)));
            y = Functional.MaxPool2d(y, (2, 2));
        }
        y = Functional.Relu(Functional.Linear(y.Flatten(1), m["fc1.weight"], m["fc1.bias"]));
        return Functional.Linear(y, m["fc2.weight"], m["fc2.bias"]);
    }
}
