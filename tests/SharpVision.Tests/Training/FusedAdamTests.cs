using SharpVision.Engine;
using SharpVision.Training.Optimizers;

namespace SharpVision.Tests.Training;

/// <summary>
/// Adam's fused step (one native pass per parameter) against its op-by-op update (torch.optim.Adam's single-tensor
/// path): the same trajectory to float rounding, with L2 or decoupled weight decay, in float32 and float64, and for a
/// non-contiguous parameter (which Adam steps op by op, beside the fused call for the others).
/// </summary>
public class FusedAdamTests
{
    /// <summary>Adam or AdamW whose step runs <see cref="Adam.Update"/> parameter by parameter (the reference).</summary>
    private sealed class OpByOpAdam(IEnumerable<ParameterGroup> groups, double lr, double weightDecay, bool decoupled)
        : Adam(groups, lr, 0.9, 0.999, 1e-8, weightDecay, decoupled)
    {
        protected override void UpdateGroup(IReadOnlyList<ParameterUpdate> updates, double lr, double weightDecay)
        {
            foreach (var u in updates)
            {
                using var scope = Torch.NewDisposeScope();
                Update(u.Parameter, u.Gradient, u.State, u.Step, lr, weightDecay);
            }
        }
    }

    // Three parameters of the given dtype from a seeded System.Random (not libtorch's shared generator): a matrix, a
    // vector and a transposed (non-contiguous) matrix.
    private static Tensor[] Parameters(DType dtype, int seed)
    {
        var rng = new Random(seed);
        Tensor Make(params long[] shape)
        {
            var n = (int)shape.Aggregate(1L, (a, b) => a * b);
            using var t = Tensor.FromArray(Enumerable.Range(0, n).Select(_ => rng.NextDouble() * 2 - 1).ToArray(), shape).To(dtype);
            return t.Detach().RequiresGrad_().DetachFromDisposeScope();
        }
        using var square = Make(40, 70);
        var transposed = square.T().Detach().RequiresGrad_().DetachFromDisposeScope();
        return new[] { Make(300, 257), Make(129), transposed };
    }

    private static ParameterGroup[] Groups(Tensor[] ps) =>
        new[] { new ParameterGroup(ps.Select((p, i) => new NamedTensor($"p{i}", p)).ToArray()) };

    private static void SetGradients(Tensor[] ps, int step)
    {
        var rng = new Random(1000 + step);
        foreach (var p in ps)
        {
            using var g = Tensor.FromArray(Enumerable.Range(0, (int)p.NumberOfElements).Select(_ => rng.NextDouble() - 0.5).ToArray(), p.Shape).To(p.DType);
            p.SetGrad(g);
        }
    }

    [Theory]
    [InlineData(false, "Float32", 0.01)]
    [InlineData(true, "Float32", 0.05)]
    [InlineData(false, "Float64", 0.01)]
    [InlineData(true, "Float64", 0.05)]
    [InlineData(false, "Float32", 0.0)]
    public void FusedStepFollowsTheOpByOpTrajectory(bool decoupled, string dtypeName, double weightDecay)
    {
        var dtype = Enum.Parse<DType>(dtypeName);
        var fused = Parameters(dtype, 5);
        var reference = Parameters(dtype, 5);
        var initial = Parameters(dtype, 5);
        try
        {
            Assert.False(fused[2].IsContiguous);
            using var a = decoupled ? new AdamW(Groups(fused), learningRate: 0.01, weightDecay: weightDecay) : new Adam(Groups(fused), learningRate: 0.01, weightDecay: weightDecay);
            using var b = new OpByOpAdam(Groups(reference), 0.01, weightDecay, decoupled);
            for (var step = 0; step < 25; step++)
            {
                SetGradients(fused, step);
                SetGradients(reference, step);
                a.Step();
                b.Step();
            }
            // float32: a few ulps of the parameters' scale per step at most; float64: rounding only.
            var tolerance = dtype == DType.Float32 ? 2e-6 : 1e-13;
            for (var i = 0; i < fused.Length; i++)
            {
                using var scope = Torch.NewDisposeScope();
                var diff = fused[i].To(DType.Float64).Sub(reference[i].To(DType.Float64)).Abs().Max().Item();
                Assert.True(diff <= tolerance, $"parameter {i}: the fused step differs from the op-by-op step by {diff}");
                var moved = fused[i].To(DType.Float64).Sub(initial[i].To(DType.Float64)).Abs().Max().Item();
                Assert.True(moved > 0.05, $"parameter {i} moved only {moved} in 25 steps");
            }
            var sa = a.StateDict();
            var sb = b.StateDict();
            Assert.Equal(sb.Keys.Order(), sa.Keys.Order());
            foreach (var (k, t) in sa)
            {
                using var scope = Torch.NewDisposeScope();
                var diff = t.To(DType.Float64).Sub(sb[k].To(DType.Float64)).Abs().Max().Item();
                Assert.True(diff <= tolerance, $"{k} differs by {diff}");
            }
            foreach (var t in sa.Values.Concat(sb.Values)) t.Dispose();
        }
        finally
        {
            foreach (var p in fused.Concat(reference).Concat(initial)) p.Dispose();
        }
    }

    [Fact]
    public void MismatchedListsAreRefusedWithTheirCounts()
    {
        using var p = Tensor.Zeros(new long[] { 3 });
        var e = Assert.Throws<ArgumentException>(() =>
            FusedOptimizers.AdamStep(new[] { p }, Array.Empty<Tensor>(), new[] { p }, new[] { p }, new long[] { 1 }, 0.1, 0.9, 0.999, 1e-8, 0, false));
        Assert.Contains("1 parameters but 0 gradients", e.Message);
        using var wrong = Tensor.Zeros(new long[] { 4 });
        var shape = Assert.ThrowsAny<Exception>(() =>
            FusedOptimizers.AdamStep(new[] { p }, new[] { wrong }, new[] { p }, new[] { p }, new long[] { 1 }, 0.1, 0.9, 0.999, 1e-8, 0, false));
        Assert.Contains("has shape [3]", shape.Message);
    }
}
