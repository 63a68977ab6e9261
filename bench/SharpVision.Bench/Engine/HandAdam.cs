using SharpVision.Engine;

namespace SharpVision.Bench.Engine;

/// <summary>Adam exactly as torch.optim.Adam(foreach=False) in PyTorch 1.13 (_single_tensor_adam), with in-place ops.</summary>
internal sealed class HandAdam : IDisposable
{
    private readonly IReadOnlyList<Tensor> parameters;
    private readonly Tensor[] expAvg, expAvgSq;
    private readonly double lr, beta1, beta2, eps;
    private long step;

    public HandAdam(IReadOnlyList<Tensor> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8)
    {
        this.parameters = parameters;
        (this.lr, this.beta1, this.beta2, this.eps) = (lr, beta1, beta2, eps);
        expAvg = parameters.Select(p => p.ZerosLike().DetachFromDisposeScope()).ToArray();
        expAvgSq = parameters.Select(p => p.ZerosLike().DetachFromDisposeScope()).ToArray();
    }

    public void Step()
    {
        step++;
        var bias1 = 1 - Math.Pow(beta1, step);
        var bias2Sqrt = Math.Sqrt(1 - Math.Pow(beta2, step));
        var stepSize = lr / bias1;
        using var noGrad = Torch.NoGrad();
        for (var i = 0; i < parameters.Count; i++)
        {
            using var grad = parameters[i].Grad;
            if (grad is null) continue;
            expAvg[i].Mul_(beta1).Add_(grad, 1 - beta1);
            expAvgSq[i].Mul_(beta2).Addcmul_(grad, grad, 1 - beta2);
            using var sqrt = expAvgSq[i].Sqrt();
            using var denom = sqrt.Div_(bias2Sqrt).Add_(eps);
            parameters[i].Addcdiv_(expAvg[i], denom, -stepSize);
        }
    }

    /// <summary>optimizer.zero_grad(set_to_none=True).</summary>
    public void ZeroGrad()
    {
        foreach (var p in parameters) p.ZeroGrad();
    }

    public void Dispose()
    {
        foreach (var t in expAvg.Concat(expAvgSq)) t.Dispose();
    }
}
