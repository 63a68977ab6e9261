using SharpVision.Engine;
using SharpVision.Training.Optimizers;

namespace SharpVision.Tests.Training;

public class OptimizerTests
{
    private static (Tensor P, ParameterGroup[] Groups) Param(double value)
    {
        var p = Tensor.FromArray(new[] { value }).RequiresGrad_().DetachFromDisposeScope();
        return (p, new[] { new ParameterGroup(new[] { new NamedTensor("w", p) }) });
    }

    private static void SetGrad(Tensor p, double g)
    {
        using var grad = Tensor.FromArray(new[] { g });
        p.SetGrad(grad);
    }

    private static double Value(Tensor p) => p.ToArray<double>()[0];

    [Fact]
    public void SgdWithMomentumMatchesHandComputedUpdates()
    {
        var (p, groups) = Param(1.0);
        using var _ = p;
        using var opt = new Sgd(groups, learningRate: 0.1, momentum: 0.9);
        SetGrad(p, 0.5);
        opt.Step();
        Assert.Equal(0.95, Value(p), 12);      // buf = 0.5
        SetGrad(p, 0.5);
        opt.Step();
        Assert.Equal(0.855, Value(p), 12);     // buf = 0.9·0.5 + 0.5 = 0.95
    }

    [Fact]
    public void SgdNesterovAndWeightDecayMatchHandComputedUpdates()
    {
        var (p, groups) = Param(1.0);
        using var _ = p;
        using var opt = new Sgd(groups, learningRate: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.1);
        SetGrad(p, 0.5);
        opt.Step();
        // d = 0.5 + 0.1·1 = 0.6; buf = 0.6; nesterov d = 0.6 + 0.9·0.6 = 1.14; p = 1 − 0.114
        Assert.Equal(0.886, Value(p), 12);
    }

    [Fact]
    public void AdamFirstStepsMatchTorchFormulas()
    {
        var (p, groups) = Param(1.0);
        using var _ = p;
        using var opt = new Adam(groups, learningRate: 0.1);
        SetGrad(p, 0.5);
        opt.Step();
        // m = 0.05, v = 0.00025; m̂ = 0.5, √v̂ = 0.5 → p = 1 − 0.1·0.5/(0.5 + 1e-8)
        Assert.Equal(1 - 0.1 * 0.5 / (0.5 + 1e-8), Value(p), 12);
        SetGrad(p, -0.25);
        opt.Step();
        double m = 0.9 * 0.05 + 0.1 * -0.25, v = 0.999 * 0.00025 + 0.001 * 0.0625;
        var expected = 1 - 0.1 * 0.5 / (0.5 + 1e-8) - 0.1 / (1 - 0.81) * m / (Math.Sqrt(v) / Math.Sqrt(1 - 0.999 * 0.999) + 1e-8);
        Assert.Equal(expected, Value(p), 12);
    }

    [Fact]
    public void AdamWDecaysWeightsDecoupledFromTheGradient()
    {
        var (p, groups) = Param(1.0);
        using var _ = p;
        using var opt = new AdamW(groups, learningRate: 0.1, weightDecay: 0.1);
        SetGrad(p, 0.5);
        opt.Step();
        Assert.Equal(0.99 - 0.1 * 0.5 / (0.5 + 1e-8), Value(p), 12);
    }

    [Fact]
    public void RmsPropMatchesHandComputedUpdate()
    {
        var (p, groups) = Param(1.0);
        using var _ = p;
        using var opt = new RmsProp(groups, learningRate: 0.01);
        SetGrad(p, 0.5);
        opt.Step();
        // square_avg = 0.01·0.25 = 0.0025 → avg = 0.05 + 1e-8
        Assert.Equal(1 - 0.01 * 0.5 / (0.05 + 1e-8), Value(p), 12);
    }

    [Fact]
    public void ParametersWithoutGradOrFrozenAreNotUpdated()
    {
        var (p, groups) = Param(1.0);
        using var _ = p;
        using var opt = new Adam(groups, learningRate: 0.1);
        opt.Step(); // no grad yet
        Assert.Equal(1.0, Value(p));
        SetGrad(p, 0.5);
        p.RequiresGrad = false;
        opt.Step();
        Assert.Equal(1.0, Value(p));
    }

    [Fact]
    public void GroupLearningRateScaleGivesDiscriminativeRates()
    {
        using var a = Tensor.FromArray(new[] { 1.0 }).RequiresGrad_().DetachFromDisposeScope();
        using var b = Tensor.FromArray(new[] { 1.0 }).RequiresGrad_().DetachFromDisposeScope();
        using var opt = new Sgd(new[]
        {
            new ParameterGroup(new[] { new NamedTensor("backbone.w", a) }, learningRateScale: 0.1),
            new ParameterGroup(new[] { new NamedTensor("head.w", b) }),
        }, learningRate: 1.0);
        SetGrad(a, 1);
        SetGrad(b, 1);
        opt.Step();
        Assert.Equal(0.9, Value(a), 12);
        Assert.Equal(0.0, Value(b), 12);
    }

    [Fact]
    public void StateDictRoundTripContinuesIdentically()
    {
        var (p1, g1) = Param(1.0);
        var (p2, g2) = Param(1.0);
        using var _1 = p1;
        using var _2 = p2;
        using var o1 = new Adam(g1, learningRate: 0.05);
        using var o2 = new Adam(g2, learningRate: 0.05);
        SetGrad(p1, 0.3);
        SetGrad(p2, 0.3);
        o1.Step();
        o2.Step();
        // Reload o2's state into a fresh optimizer, as a resume does.
        var saved = o2.StateDict();
        using var o3 = new Adam(g2, learningRate: 0.05);
        o3.LoadStateDict(saved);
        foreach (var t in saved.Values) t.Dispose();
        SetGrad(p1, -0.7);
        SetGrad(p2, -0.7);
        o1.Step();
        o3.Step();
        Assert.Equal(Value(p1), Value(p2));
    }
}
