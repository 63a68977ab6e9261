using SharpVision.Engine;
using SharpVision.Engine.IO;
using SharpVision.Layers;
using SharpVision.Tests.Support;

namespace SharpVision.Tests.Layers;

public class ModuleTests
{
    internal static Sequential SmallNet()
    {
        Torch.ManualSeed(11);
        return new Sequential(
            new Sequential(new Conv2d(3, 4, 3, padding: 1), new BatchNorm2d(4), new ReLU()),
            new Dropout(0.5),
            new GlobalAvgPool(),
            new Linear(4, 2));
    }

    [Fact]
    public void NamesFollowTorchvisionDottedPaths()
    {
        using var net = SmallNet();
        Assert.Equal(new[] { "0.0.weight", "0.0.bias", "0.1.weight", "0.1.bias", "3.weight", "3.bias" }, net.NamedParameters().Select(p => p.Name));
        Assert.Equal(new[] { "0.1.running_mean", "0.1.running_var", "0.1.num_batches_tracked" }, net.NamedBuffers().Select(b => b.Name));
        Assert.Equal(new[] { "", "0", "0.0", "0.1", "0.2", "1", "2", "3" }, net.NamedModules().Select(m => m.Name));
        Assert.IsType<BatchNorm2d>(net["0.1"]);
        Assert.Same(net, net[""]);
        var e = Assert.Throws<KeyNotFoundException>(() => net["0.7"]);
        Assert.Contains("[0, 1, 2]", e.Message);
        Assert.Equal(4 * 3 * 9 + 4 + 8 + 4 * 2 + 2, net.CountParameters());
    }

    [Fact]
    public void StateDictRoundTripsThroughSafeTensors()
    {
        using var dir = new TempDirectory();
        using var a = SmallNet();
        // Make the BN buffers non-trivial before saving.
        using (var scope = Torch.NewDisposeScope()) a.Call(Tensor.Randn(new long[] { 4, 3, 6, 6 }));
        var state = a.StateDict();
        SafeTensors.Save(dir.File("net.safetensors"), state);
        foreach (var t in state.Values) t.Dispose();

        Torch.ManualSeed(99);
        using var b = new Sequential(
            new Sequential(new Conv2d(3, 4, 3, padding: 1), new BatchNorm2d(4), new ReLU()),
            new Dropout(0.5), new GlobalAvgPool(), new Linear(4, 2));
        var (loaded, _) = SafeTensors.Load(dir.File("net.safetensors"));
        var report = b.LoadStateDict(loaded);
        foreach (var t in loaded.Values) t.Dispose();
        Assert.True(report.IsComplete);
        Assert.Equal(9, report.Loaded.Count);
        Assert.Equal(1, ((BatchNorm)b["0.1"]).NumBatchesTracked);

        a.Eval();
        b.Eval();
        using var scope2 = Torch.NewDisposeScope();
        var x = Tensor.Randn(new long[] { 2, 3, 6, 6 });
        Assert.True(a.Forward(x).AllClose(b.Forward(x)));
    }

    [Fact]
    public void StrictLoadListsMissingUnexpectedAndMisShapedNames()
    {
        using var net = SmallNet();
        using var scope = Torch.NewDisposeScope();
        var state = net.StateDict();
        state.Remove("3.bias");
        state.Remove("0.1.num_batches_tracked"); // tolerated, as in PyTorch
        state["extra.weight"] = Tensor.Zeros(new long[] { 1 });
        state["3.weight"] = Tensor.Zeros(new long[] { 5, 4 });
        var e = Assert.Throws<ArgumentException>(() => net.LoadStateDict(state));
        Assert.Contains("3.bias", e.Message);
        Assert.Contains("extra.weight", e.Message);
        Assert.Contains("3.weight: expected [2, 4], got [5, 4]", e.Message);
        Assert.DoesNotContain("num_batches_tracked", e.Message);

        var report = net.LoadStateDict(state, strict: false);
        Assert.Equal(new[] { "3.bias" }, report.Missing);
        Assert.Equal(new[] { "extra.weight" }, report.Unexpected);
        Assert.Single(report.ShapeMismatched);
        Assert.Equal(6, report.Loaded.Count);
    }

    [Fact]
    public void ForwardHooksSeeEveryOutputAndCanBeRemoved()
    {
        using var net = SmallNet();
        var seen = new List<long[]>();
        var hook = net["0.2"].RegisterForwardHook((m, output) => seen.Add(output.Shape));
        using var scope = Torch.NewDisposeScope();
        net.Call(Tensor.Zeros(new long[] { 1, 3, 5, 5 }));
        hook.Dispose();
        net.Call(Tensor.Zeros(new long[] { 1, 3, 5, 5 }));
        Assert.Single(seen);
        Assert.Equal(new long[] { 1, 4, 5, 5 }, seen[0]);
    }

    [Fact]
    public void HookCanKeepActivationAndItsGradientForGradCam()
    {
        using var net = SmallNet();
        Tensor? kept = null;
        using var hook = net["0.2"].RegisterForwardHook((_, output) => kept = output.Alias().RetainGrad());
        using var scope = Torch.NewDisposeScope();
        net.Eval();
        net.Call(Tensor.Randn(new long[] { 1, 3, 5, 5 })).Sum().Backward();
        Assert.NotNull(kept);
        using var g = kept!.Grad;
        Assert.NotNull(g);
        Assert.Equal(new long[] { 1, 4, 5, 5 }, g!.Shape);
    }

    [Fact]
    public void DropoutIsActiveOnlyInTrainingMode()
    {
        using var dropout = new Dropout(0.5);
        using var spatial = new SpatialDropout(0.5);
        using var scope = Torch.NewDisposeScope();
        var x = Tensor.Ones(new long[] { 4, 8, 4, 4 });
        Torch.ManualSeed(5);
        var train = dropout.Forward(x).ToArray<float>();
        Assert.Contains(0f, train);
        Assert.Contains(2f, train);
        var channels = spatial.Forward(x).Reshape(32, 16).ToArray<float>();
        for (var c = 0; c < 32; c++) Assert.Single(channels.Skip(c * 16).Take(16).Distinct()); // whole maps dropped or kept
        dropout.Eval();
        spatial.Eval();
        Assert.True(dropout.Forward(x).Equal(x));
        Assert.True(spatial.Forward(x).Equal(x));
    }

    [Fact]
    public void BatchNormUpdatesRunningStatisticsOnlyInTraining()
    {
        using var bn = new BatchNorm2d(2, momentum: 0.5);
        using var scope = Torch.NewDisposeScope();
        var x = Tensor.FromArray(new float[] { 1, 3, 10, 10, 5, 7, 10, 10 }, 2, 2, 1, 2);
        var y = bn.Forward(x);
        // Channel 0 batch mean 4 → running 0.5·0 + 0.5·4 = 2; unbiased var of {1,3,5,7} = 20/3 → 0.5 + 0.5·20/3.
        Assert.Equal(new[] { 2f, 5f }, bn.RunningMean!.ToArray<float>());
        Assert.Equal(0.5f + 0.5f * 20 / 3, bn.RunningVar!.ToArray<float>()[0], 4);
        Assert.Equal(1, bn.NumBatchesTracked);
        Assert.True(Math.Abs(y.Mean().ItemFloat()) < 1e-4f, string.Join(", ", y.ToArray<float>()));

        bn.Eval();
        var before = bn.RunningMean!.ToArray<float>();
        var z = bn.Forward(x);
        Assert.Equal(before, bn.RunningMean!.ToArray<float>());
        Assert.Equal(1, bn.NumBatchesTracked);
        Assert.Equal((1 - 2) / MathF.Sqrt(0.5f + 0.5f * 20 / 3 + 1e-5f), z.ToArray<float>()[0], 4);
    }

    [Fact]
    public void FreezingStopsGradientsAndKeepsBatchNormInInferenceMode()
    {
        using var net = SmallNet();
        var block = net["0"];
        block.Freeze();
        net.Train();
        Assert.True(block.IsFrozen);
        Assert.False(((BatchNorm)net["0.1"]).UsesBatchStatistics);
        Assert.Equal(10, net.CountParameters(trainableOnly: true));

        using var scope = Torch.NewDisposeScope();
        var meanBefore = ((BatchNorm)net["0.1"]).RunningMean!.ToArray<float>();
        var frozenBefore = net["0.0"].DirectParameters().First().Parameter.Value.Clone();
        net.Call(Tensor.Randn(new long[] { 4, 3, 5, 5 })).Sum().Backward();
        foreach (var (name, p) in net.NamedParameters())
        {
            using var g = p.Grad;
            if (name.StartsWith("0.", StringComparison.Ordinal)) Assert.Null(g);
            else Assert.NotNull(g);
        }
        // Manual SGD step over trainable parameters only.
        using (Torch.NoGrad())
            foreach (var p in net.Parameters().Where(p => p.RequiresGrad))
            {
                using var g = p.Grad!;
                p.Value.Sub_(g, 0.1);
            }
        Assert.True(frozenBefore.Equal(net["0.0"].DirectParameters().First().Parameter.Value));
        Assert.Equal(meanBefore, ((BatchNorm)net["0.1"]).RunningMean!.ToArray<float>());

        block.Unfreeze();
        Assert.True(((BatchNorm)net["0.1"]).UsesBatchStatistics);
        Assert.All(net.Parameters(), p => Assert.True(p.RequiresGrad));
    }

    [Fact]
    public void ToSameDeviceKeepsValuesAndLeaves()
    {
        using var net = SmallNet();
        net.To(Device.Cpu);
        Assert.All(net.Parameters(), p => Assert.True(p.Value.IsLeaf && p.RequiresGrad));
    }
}
