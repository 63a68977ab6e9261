using SharpVision.Engine;
using SharpVision.Engine.Distributed;

namespace SharpVision.Distributed;

/// <summary>
/// Sums additive metrics over all ranks so that every rank reports the same epoch figures (loss, accuracy) as a
/// single process over the whole dataset would. Sums are taken in float64, exact for counts below 2^53.
/// </summary>
public sealed class MetricsReducer
{
    private readonly ProcessGroup? group;

    /// <summary>Creates the reducer; with a null group (single process) values are returned unchanged.</summary>
    public MetricsReducer(ProcessGroup? group) => this.group = group;

    /// <summary>Element-wise sum of <paramref name="values"/> over all ranks (one all-reduce). Every rank must pass as many values.</summary>
    public double[] Sum(params double[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (group is null || group.WorldSize == 1 || values.Length == 0) return (double[])values.Clone();
        using var t = Tensor.FromArray(values);
        group.AllReduce(t, ReduceOp.Sum);
        return t.ToArray<double>();
    }

    /// <summary>The totals of all ranks together.</summary>
    public EpochTotals Reduce(EpochTotals local)
    {
        var s = Sum(local.LossSum, local.Correct, local.Count);
        return new EpochTotals(s[0], (long)Math.Round(s[1]), (long)Math.Round(s[2]));
    }
}
