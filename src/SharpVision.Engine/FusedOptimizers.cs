using SharpVision.Engine.Native;

namespace SharpVision.Engine;

/// <summary>
/// Optimizer updates for many parameters in one native call, each parameter in one pass over its memory (the fused
/// optimizers of PyTorch 2.x, on the CPU). The arithmetic is torch.optim's, in the same order, so results agree with
/// the op-by-op update to float rounding. Only tensors for which <see cref="CanFuse"/> holds are accepted; an
/// optimizer steps the others op by op.
/// </summary>
public static unsafe class FusedOptimizers
{
    /// <summary>
    /// Whether the fused loop covers a parameter with this gradient and these state buffers: contiguous float32 or
    /// float64 CPU tensors of one dtype and one shape.
    /// </summary>
    public static bool CanFuse(Tensor parameter, params Tensor[] companions)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        static bool Plain(Tensor t) => t.Device.Type == DeviceType.Cpu && t.IsContiguous && t.DType is DType.Float32 or DType.Float64;
        return Plain(parameter) && companions.All(t => Plain(t) && t.DType == parameter.DType && t.Shape.AsSpan().SequenceEqual(parameter.Shape));
    }

    /// <summary>
    /// One Adam step (torch.optim.Adam), or AdamW (torch.optim.AdamW) when <paramref name="decoupledWeightDecay"/> is
    /// true, for every parameter: <c>parameters[i]</c> is updated in place from <c>gradients[i]</c>, and its moment
    /// buffers <c>expAvgs[i]</c> and <c>expAvgSqs[i]</c> (same shape, updated in place) at its own step count
    /// <c>steps[i]</c> (1 on a parameter's first step). Runs without recording autograd history.
    /// </summary>
    /// <exception cref="TorchException">A parameter for which <see cref="CanFuse"/> does not hold, or a step below 1.</exception>
    public static void AdamStep(IReadOnlyList<Tensor> parameters, IReadOnlyList<Tensor> gradients, IReadOnlyList<Tensor> expAvgs,
        IReadOnlyList<Tensor> expAvgSqs, IReadOnlyList<long> steps, double learningRate, double beta1, double beta2, double eps,
        double weightDecay, bool decoupledWeightDecay)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var n = parameters.Count;
        if (gradients.Count != n || expAvgs.Count != n || expAvgSqs.Count != n || steps.Count != n)
            throw new ArgumentException(
                $"Adam step: {n} parameters but {gradients.Count} gradients, {expAvgs.Count} exp_avg, {expAvgSqs.Count} exp_avg_sq and {steps.Count} step counts");
        if (n == 0) return;
        var p = Tensor.Handles(parameters);
        var g = Tensor.Handles(gradients);
        var m = Tensor.Handles(expAvgs);
        var v = Tensor.Handles(expAvgSqs);
        var s = steps.ToArray();
        fixed (IntPtr* pp = p, gp = g, mp = m, vp = v)
        fixed (long* sp = s)
            NativeError.Check(NativeMethods.sv_adam_step(pp, gp, mp, vp, sp, n, learningRate, beta1, beta2, eps, weightDecay,
                decoupledWeightDecay ? 1 : 0));
        GC.KeepAlive(parameters);
        GC.KeepAlive(gradients);
        GC.KeepAlive(expAvgs);
        GC.KeepAlive(expAvgSqs);
    }
}
