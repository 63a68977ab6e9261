using SharpVision.Engine;
using SharpVision.Engine.Distributed;

namespace SharpVision.Layers;

// Synchronised BatchNorm (torch.nn.SyncBatchNorm) on any device: the global batch's statistics from two differentiable
// all-reduces, so that autograd's backward all-reduces their gradient terms and every rank gets the exact gradient of
// the global batch. ATen's batch_norm_stats / batch_norm_gather_stats kernels are CUDA-only in libtorch 1.13, so the
// statistics are composed from ordinary differentiable ops here.
public abstract partial class BatchNorm
{
    /// <summary>
    /// The process group whose ranks normalise together (synchronised BatchNorm): in training mode (not frozen), the
    /// mean and variance are those of the global batch — every rank's batch together — and the running statistics
    /// are updated with them, exactly as one process with the global batch would. Null (the default), a group of one
    /// rank or a disposed group: this process's batch alone. Set by the Distributed floor's <c>SyncBatchNorm.Convert</c>;
    /// parameter and buffer names do not change, so model files and checkpoints are unaffected.
    /// </summary>
    /// <remarks>Every rank must run the same layers in training mode in the same order (each call is a collective).</remarks>
    public ProcessGroup? SyncGroup { get; set; }

    /// <summary>The group this call synchronises with, or null for a local (plain BatchNorm) call.</summary>
    private ProcessGroup? SynchronizesWith() =>
        SyncGroup is { IsDisposed: false } group && Training && !IsFrozen && group.WorldSize > 1 ? group : null;

    /// <summary>
    /// Normalises with the global batch's statistics: N = Σ ranks' element counts per channel, mean = Σx / N (first
    /// all-reduce, with the count), var = Σ(x − mean)² / N (second all-reduce, two-pass for stability),
    /// y = (x − mean) / √(var + eps) · weight + bias; running statistics take the unbiased N / (N − 1) variance.
    /// </summary>
    private Tensor SynchronizedForward(Tensor input, ProcessGroup group, double momentum)
    {
        var channels = NumFeatures;
        var reduced = Enumerable.Range(0, input.Dim).Where(d => d != 1).Select(d => (long)d).ToArray();
        var perChannel = Enumerable.Repeat(1L, input.Dim).ToArray();
        perChannel[1] = channels;
        using var scope = Torch.NewDisposeScope();
        // All-reduce 1: per-channel sums with this rank's element count appended (exact in float32 up to 2^24
        // elements per channel, then within 6e-8 relative: far below the statistics' own rounding).
        var count = Tensor.Full(new long[] { 1 }, input.NumberOfElements / channels, input.DType, input.Device);
        var sumAndCount = group.AllReduceDifferentiable(Tensor.Cat(new[] { input.Sum(reduced), count }));
        var n = Math.Round(sumAndCount.Narrow(0, channels, 1).Detach().Item());
        if (n <= 1)
            throw new ArgumentException($"{GetType().Name} '{Name}': expected more than 1 value per channel in the global batch when training, got {input}", nameof(input));
        var mean = sumAndCount.Narrow(0, 0, channels).Div(n);
        var centered = input.Sub(mean.View(perChannel));
        // All-reduce 2: per-channel sums of squared deviations from the global mean.
        var variance = group.AllReduceDifferentiable(centered.Square().Sum(reduced)).Div(n);
        var output = centered.Mul(variance.Add(Eps).Rsqrt().View(perChannel));
        if (Weight is not null) output = output.Mul(Weight.Value.View(perChannel));
        if (Bias is not null) output = output.Add(Bias.Value.View(perChannel));
        if (TrackRunningStats)
        {
            using (Torch.NoGrad())
            {
                // torch: running = (1 − momentum)·running + momentum·batch, with the unbiased variance.
                Buffer("running_mean").Mul_(1 - momentum).Add_(mean.Detach(), momentum);
                Buffer("running_var").Mul_(1 - momentum).Add_(variance.Detach(), momentum * n / (n - 1));
            }
        }
        return output.MoveToOuterDisposeScope();
    }
}
