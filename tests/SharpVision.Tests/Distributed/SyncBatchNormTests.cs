using SharpVision.Distributed;
using SharpVision.Engine;
using SharpVision.Layers;

namespace SharpVision.Tests.Distributed;

/// <summary>
/// Synchronised BatchNorm: 2 in-process ranks, each holding half of a batch, compute what one process with plain
/// BatchNorm computes on the whole batch — outputs, gradients, running statistics.
/// </summary>
[Collection(DistributedCollection.Name)]
public class SyncBatchNormTests
{
    private const int Batch = 8;
    private static readonly long[] InputShape = { Batch, 3, 6, 6 };

    // conv → BN2d → ReLU → linear → BN1d (rank-2 input) → ReLU → linear.
    private static Sequential Net() => new(
        new Conv2d(3, 4, 3, padding: 1), new BatchNorm2d(4), new ReLU(), new Flatten(),
        new Linear(4 * 6 * 6, 8), new BatchNorm1d(8, momentum: null), new ReLU(), new Linear(8, 3));

    private sealed record Step(float[] Output, float[] InputGrad, Dictionary<string, float[]> Grads, Dictionary<string, double[]> Buffers, float[] EvalOutput);

    // One training step's forward and backward (the loss: mean squared error against a fixed target, averaged over
    // this process's rows), then an eval-mode forward.
    private static Step Run(Sequential net, float[] input, float[] target, long rows, GradientSynchronizer? sync)
    {
        using var scope = Torch.NewDisposeScope();
        var x = Tensor.FromArray(input, rows, 3, 6, 6).RequiresGrad_();
        var y = Tensor.FromArray(target, rows, 3);
        net.Train();
        sync?.Prepare();
        var output = net.Call(x);
        output.Sub(y).Square().Mean().Backward();
        sync?.Synchronize();
        var grads = net.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter.Grad!.ToArray<float>());
        var buffers = net.NamedBuffers().ToDictionary(b => b.Name, b => b.Buffer.To(DType.Float64).ToArray<double>());
        net.Eval();
        float[] eval;
        using (Torch.NoGrad()) eval = net.Call(x.Detach()).ToArray<float>();
        return new Step(output.Detach().ToArray<float>(), x.Grad!.ToArray<float>(), grads, buffers, eval);
    }

    private static void AssertClose(IReadOnlyList<float> expected, IReadOnlyList<float> actual, double tolerance, string what)
    {
        Assert.Equal(expected.Count, actual.Count);
        var worst = expected.Zip(actual, (e, a) => Math.Abs((double)e - a)).Max();
        Assert.True(worst <= tolerance, $"{what} differs by {worst}");
    }

    [Fact]
    public void TwoRanksWithHalfTheBatch_EqualOneProcessWithTheWholeBatch()
    {
        // The reference: one process, plain BatchNorm, the whole batch. BN's affine parameters are made non-trivial.
        Dictionary<string, float[]> weights;
        Step reference;
        float[] input, target;
        Torch.ManualSeed(11);
        using (var gen = new Generator(12))
        using (var reset = Torch.NewDisposeScope())
        using (var net = Net())
        {
            using (Torch.NoGrad())
                foreach (var bn in SyncBatchNorm.BatchNormLayers(net))
                {
                    bn.Weight!.Value.Copy_(Tensor.Rand(bn.Weight.Shape, gen).Add(0.5));
                    bn.Bias!.Value.Copy_(Tensor.Randn(bn.Bias.Shape, gen));
                }
            weights = net.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.To(DType.Float32).ToArray<float>());
            input = Tensor.Randn(InputShape, gen).Mul(2).Add(0.3).ToArray<float>();
            target = Tensor.Randn(new long[] { Batch, 3 }, gen).ToArray<float>();
            reference = Run(net, input, target, Batch, sync: null);
        }

        const int half = Batch / 2;
        var perRow = input.Length / Batch;
        var ranks = InProcessRanks.Run(2, group =>
        {
            using var net = Net();
            using (var load = Torch.NewDisposeScope())
                net.LoadStateDict(net.StateDict().ToDictionary(kv => kv.Key,
                    kv => Tensor.FromArray(weights[kv.Key], kv.Value.Shape).To(kv.Value.DType)));
            Assert.Equal(2, SyncBatchNorm.Convert(net, group));
            using var sync = new GradientSynchronizer(group, net.Parameters().Select(p => p.Value).ToList());
            var r = group.Rank;
            return Run(net, input[(r * half * perRow)..((r + 1) * half * perRow)], target[(r * half * 3)..((r + 1) * half * 3)], half, sync);
        });

        const double tolerance = 1e-5;
        for (var r = 0; r < 2; r++)
        {
            var step = ranks[r];
            AssertClose(reference.Output[(r * half * 3)..((r + 1) * half * 3)], step.Output, tolerance, $"rank {r}: output");
            // The input gradient is of the sum of the ranks' losses (the all-reduce's backward sums them): averaging
            // over the 2 ranks, as the reducer does for the parameters, gives the whole batch's.
            AssertClose(reference.InputGrad[(r * half * perRow)..((r + 1) * half * perRow)], step.InputGrad.Select(g => g / 2).ToArray(), tolerance,
                $"rank {r}: input gradient");
            Assert.Equal(reference.Grads.Keys, step.Grads.Keys);
            foreach (var (name, grad) in reference.Grads) AssertClose(grad, step.Grads[name], tolerance, $"rank {r}: gradient of {name}");
            Assert.Equal(reference.Buffers.Keys, step.Buffers.Keys);
            foreach (var (name, buffer) in reference.Buffers)
                AssertClose(buffer.Select(v => (float)v).ToArray(), step.Buffers[name].Select(v => (float)v).ToArray(), tolerance, $"rank {r}: {name}");
            Assert.Equal(1.0, step.Buffers["1.num_batches_tracked"].Single());
            // Eval mode normalises with the (equal) running statistics, locally.
            AssertClose(reference.EvalOutput[(r * half * 3)..((r + 1) * half * 3)], step.EvalOutput, tolerance, $"rank {r}: eval output");
        }
        // The running statistics moved (BN1d's cumulative average holds the batch's unbiased variance after one batch).
        Assert.Contains(reference.Buffers["5.running_var"], v => Math.Abs(v - 1) > 0.1);
        Assert.Contains(reference.Buffers["1.running_mean"], v => Math.Abs(v) > 1e-3);
    }

    [Fact]
    public void WithoutAGroupOrWithOneRank_ItIsPlainBatchNorm()
    {
        Torch.ManualSeed(5);
        using var scope = Torch.NewDisposeScope();
        using var net = Net();
        using var gen = new Generator(6);
        var x = Tensor.Randn(InputShape, gen);
        var state = net.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.Clone());
        net.Train();
        var plain = net.Call(x);
        net.LoadStateDict(state);
        var single = InProcessRanks.Run(1, group =>
        {
            using var s = Torch.NewDisposeScope();
            Assert.Equal(2, SyncBatchNorm.Convert(net, group));
            var y = net.Call(x).ToArray<float>();
            Assert.Equal(2, SyncBatchNorm.Convert(net, null));
            return y;
        })[0];
        Assert.Equal(plain.ToArray<float>(), single);
        Assert.All(SyncBatchNorm.BatchNormLayers(net), bn => Assert.Null(bn.SyncGroup));
    }
}
