using SharpVision.Engine;
using SharpVision.Engine.Distributed;
using SharpVision.Layers;

namespace SharpVision.Distributed;

/// <summary>
/// The data-parallel side of a training run, handed to the recipes that train (the fine-tuning recipe's two phases):
/// who this process is in the group, one gradient synchroniser per trained module, metric reduction, and the
/// barriers around work that only rank 0 does (writing a shared feature cache). A single process has a
/// <see cref="DataParallel"/> of world size 1 whose operations do nothing.
/// </summary>
public sealed class DataParallel
{
    /// <summary>
    /// Wraps <paramref name="group"/> (null: a single process); gradients travel as <paramref name="compression"/> says;
    /// <paramref name="synchronizeBatchNorm"/> makes the trained models' BatchNorm layers use the global batch's statistics.
    /// </summary>
    public DataParallel(ProcessGroup? group, GradientCompression compression = GradientCompression.None, bool synchronizeBatchNorm = false)
    {
        Group = group;
        Compression = compression;
        SynchronizeBatchNorm = synchronizeBatchNorm;
        Rank = group?.Rank ?? 0;
        WorldSize = group?.WorldSize ?? 1;
    }

    /// <summary>How the gradient buckets travel (fp16 halves the bytes).</summary>
    public GradientCompression Compression { get; }

    /// <summary>
    /// Synchronised BatchNorm (<c>--sync-batch-norm</c>): with more than one process, every BatchNorm layer of a trained
    /// model normalises with the statistics of the global batch (<see cref="Distributed.SyncBatchNorm"/>).
    /// </summary>
    public bool SynchronizeBatchNorm { get; }

    /// <summary>
    /// Applies <see cref="SynchronizeBatchNorm"/> to <paramref name="model"/> and returns the number of BatchNorm layers
    /// that now normalise over the global batch (0 when off, in a single process, or for a model without BatchNorm).
    /// </summary>
    public int SynchronizeBatchNormOf(Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return IsActive && SynchronizeBatchNorm ? Distributed.SyncBatchNorm.Convert(model, Group) : 0;
    }

    /// <summary>A single process.</summary>
    public static DataParallel None { get; } = new(null);

    /// <summary>The process group, or null in a single process.</summary>
    public ProcessGroup? Group { get; }

    /// <summary>Global rank of this process.</summary>
    public int Rank { get; }

    /// <summary>Number of processes.</summary>
    public int WorldSize { get; }

    /// <summary>True for rank 0, the only rank that writes files and logs.</summary>
    public bool IsPrimary => Rank == 0;

    /// <summary>True when there is more than one process.</summary>
    public bool IsActive => Group is not null && WorldSize > 1;

    /// <summary>Sums epoch totals over the ranks (null in a single process: nothing to reduce).</summary>
    public Func<double[], double[]>? ReduceSums => IsActive ? new MetricsReducer(Group).Sum : null;

    /// <summary>
    /// A synchroniser for a module's parameters and buffers; its <see cref="GradientSynchronizer.BroadcastParameters"/>
    /// is called here, so every rank starts from rank 0's weights.
    /// </summary>
    public GradientSynchronizer? Synchronize(IReadOnlyList<Tensor> parameters, IReadOnlyList<Tensor> buffers)
    {
        if (!IsActive) return null;
        var sync = new GradientSynchronizer(Group, parameters, buffers, compression: Compression);
        sync.BroadcastParameters();
        return sync;
    }

    /// <summary>Rank 0's <paramref name="value"/> on every rank (the value itself in a single process).</summary>
    public double BroadcastFromRankZero(double value)
    {
        if (!IsActive) return value;
        using var t = Tensor.FromArray(new[] { value });
        Group!.Broadcast(t);
        return t.ToArray<double>()[0];
    }

    /// <summary>Waits until every rank got here (no-op in a single process).</summary>
    public void Barrier()
    {
        if (IsActive) Group!.Barrier();
    }

    /// <summary>This rank's batch size for a global <paramref name="globalBatch"/>.</summary>
    /// <exception cref="ArgumentException">The global batch is not divisible by the number of processes.</exception>
    public int LocalBatch(int globalBatch) =>
        globalBatch % WorldSize == 0
            ? globalBatch / WorldSize
            : throw new ArgumentException($"the global batch size {globalBatch} must be divisible by the number of processes ({WorldSize})");
}
