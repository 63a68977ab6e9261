using SharpVision.Engine;
using SharpVision.Layers;

namespace SharpVision.Training.Optimizers;

/// <summary>
/// Adam (torch.optim.Adam), or AdamW with decoupled weight decay when <c>decoupledWeightDecay</c> is true
/// (torch.optim.AdamW).
/// </summary>
public class Adam : Optimizer
{
    private readonly bool decoupled;

    /// <summary>Creates Adam.</summary>
    public Adam(IEnumerable<ParameterGroup> groups, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double eps = 1e-8, double weightDecay = 0) : this(groups, learningRate, beta1, beta2, eps, weightDecay, false) { }

    /// <summary>Creates Adam over every parameter of <paramref name="model"/>.</summary>
    public Adam(Module model, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0)
        : this(ParameterGroup.Of(model), learningRate, beta1, beta2, eps, weightDecay, false) { }

    /// <summary>Creates Adam or AdamW.</summary>
    protected Adam(IEnumerable<ParameterGroup> groups, double learningRate, double beta1, double beta2, double eps, double weightDecay,
        bool decoupledWeightDecay) : base(groups, learningRate, weightDecay)
    {
        if (beta1 is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(beta1), beta1, "beta1 must be in [0, 1)");
        if (beta2 is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(beta2), beta2, "beta2 must be in [0, 1)");
        Beta1 = beta1;
        Beta2 = beta2;
        Eps = eps;
        decoupled = decoupledWeightDecay;
    }

    /// <summary>Decay of the first moment.</summary>
    public double Beta1 { get; }

    /// <summary>Decay of the second moment.</summary>
    public double Beta2 { get; }

    /// <summary>Denominator term for numerical stability.</summary>
    public double Eps { get; }

    /// <inheritdoc />
    public override string Name => "adam";

    /// <summary>
    /// The whole group in one native call, each parameter in one pass over its memory (<see cref="FusedOptimizers.AdamStep"/>):
    /// the same arithmetic as <see cref="Update"/>, without its eight passes and temporaries. On a data-parallel worker
    /// the optimizer step is the part of a training step that does not shrink with more workers. A parameter the fused
    /// loop does not cover (<see cref="FusedOptimizers.CanFuse"/>: another device, half precision, non-contiguous) is
    /// stepped by <see cref="Update"/>.
    /// </summary>
    protected override void UpdateGroup(IReadOnlyList<ParameterUpdate> updates, double lr, double weightDecay)
    {
        var parameters = new List<Tensor>(updates.Count);
        var gradients = new List<Tensor>(updates.Count);
        var expAvgs = new List<Tensor>(updates.Count);
        var expAvgSqs = new List<Tensor>(updates.Count);
        var steps = new List<long>(updates.Count);
        foreach (var (param, grad, state, step) in updates)
        {
            var (expAvg, expAvgSq) = Moments(param, state);
            if (FusedOptimizers.CanFuse(param, grad, expAvg, expAvgSq))
            {
                parameters.Add(param);
                gradients.Add(grad);
                expAvgs.Add(expAvg);
                expAvgSqs.Add(expAvgSq);
                steps.Add(step);
            }
            else
            {
                using var scope = Torch.NewDisposeScope();
                Update(param, grad, state, step, lr, weightDecay);
            }
        }
        FusedOptimizers.AdamStep(parameters, gradients, expAvgs, expAvgSqs, steps, lr, Beta1, Beta2, Eps, weightDecay, decoupled);
    }

    // The first and second moment buffers of a parameter, created (zeros) on its first step.
    private static (Tensor ExpAvg, Tensor ExpAvgSq) Moments(Tensor param, Dictionary<string, Tensor> state)
    {
        if (!state.TryGetValue("exp_avg", out var expAvg)) state["exp_avg"] = expAvg = NewBuffer(param);
        if (!state.TryGetValue("exp_avg_sq", out var expAvgSq)) state["exp_avg_sq"] = expAvgSq = NewBuffer(param);
        return (expAvg, expAvgSq);
    }

    /// <summary>One parameter's update, op by op as torch.optim.Adam's single-tensor path (the reference for the fused step).</summary>
    protected override void Update(Tensor param, Tensor grad, Dictionary<string, Tensor> state, long step, double lr, double weightDecay)
    {
        if (decoupled && weightDecay != 0) param.Mul_(1 - lr * weightDecay);
        var g = !decoupled && weightDecay != 0 ? grad.Add(param, weightDecay) : grad;
        var (expAvg, expAvgSq) = Moments(param, state);

        expAvg.Mul_(Beta1).Add_(g, 1 - Beta1);
        expAvgSq.Mul_(Beta2).Addcmul_(g, g, 1 - Beta2);
        var biasCorrection1 = 1 - Math.Pow(Beta1, step);
        var biasCorrection2 = 1 - Math.Pow(Beta2, step);
        var stepSize = lr / biasCorrection1;
        var denom = expAvgSq.Sqrt().Div_(Math.Sqrt(biasCorrection2)).Add_(Eps);
        param.Addcdiv_(expAvg, denom, -stepSize);
    }
}

/// <summary>AdamW: Adam with decoupled weight decay (torch.optim.AdamW; default weight decay 0.01).</summary>
public sealed class AdamW : Adam
{
    /// <summary>Creates AdamW.</summary>
    public AdamW(IEnumerable<ParameterGroup> groups, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double eps = 1e-8, double weightDecay = 0.01) : base(groups, learningRate, beta1, beta2, eps, weightDecay, true) { }

    /// <summary>Creates AdamW over every parameter of <paramref name="model"/>.</summary>
    public AdamW(Module model, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0.01)
        : base(ParameterGroup.Of(model), learningRate, beta1, beta2, eps, weightDecay, true) { }

    /// <inheritdoc />
    public override string Name => "adamw";
}
