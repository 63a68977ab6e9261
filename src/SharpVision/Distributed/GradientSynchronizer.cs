using SharpVision.Engine;
using SharpVision.Engine.Distributed;

namespace SharpVision.Distributed;

/// <summary>
/// Data-parallel training without a DistributedDataParallel wrapper: start every rank from rank 0's weights
/// (<see cref="BroadcastParameters"/>), call <see cref="Prepare"/> before the backward whose gradients are to be
/// synchronised and <see cref="Synchronize"/> after it: every gradient is then the mean over the ranks. Underneath, the
/// native <see cref="GradientReducer"/> all-reduces size-bounded buckets (25 MiB by default, like DDP) from autograd
/// hooks while backward is still running.
/// </summary>
/// <remarks>
/// Parameters that do not require grad (frozen) are skipped; every rank must freeze the same ones, which is checked
/// whenever the bucket layout is (re)built. A trainable parameter without a gradient on this step (unused in the
/// forward) contributes zeros, so the ranks' buckets always line up. Gradient accumulation: backward passes without
/// <see cref="Prepare"/> accumulate locally (DDP's no_sync); the last one, prepared, synchronises the sum. With no
/// group, or a group of one, every call returns at once.
/// </remarks>
public sealed class GradientSynchronizer : IDisposable
{
    /// <summary>DDP's default bucket size: 25 MiB.</summary>
    public const long DefaultBucketBytes = 25L * 1024 * 1024;

    private readonly ProcessGroup? group;
    private readonly Tensor[] parameters;
    private readonly Tensor[] buffers;
    private GradientReducer? reducer;
    private bool[]? layoutMask;
    private bool layoutValidated;

    /// <summary>Creates the synchronizer.</summary>
    /// <param name="group">The process group; null for a single-process run.</param>
    /// <param name="parameters">The model's parameters (leaf tensors) in the same order on every rank.</param>
    /// <param name="buffers">Non-trained state that must match across ranks (BatchNorm running statistics), or null.</param>
    /// <param name="bucketBytes">Upper bound of a bucket in bytes; a larger parameter gets a bucket of its own.</param>
    /// <param name="compression">How gradient buckets travel (fp16 halves the bytes).</param>
    public GradientSynchronizer(ProcessGroup? group, IReadOnlyList<Tensor> parameters, IReadOnlyList<Tensor>? buffers = null,
        long bucketBytes = DefaultBucketBytes, GradientCompression compression = GradientCompression.None)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (bucketBytes < 1) throw new ArgumentOutOfRangeException(nameof(bucketBytes), bucketBytes, "bucket size must be positive");
        if (!Enum.IsDefined(compression)) throw new ArgumentOutOfRangeException(nameof(compression), compression, "unknown gradient compression");
        for (var i = 0; i < parameters.Count; i++)
        {
            if (parameters[i] is null) throw new ArgumentException($"parameter {i} is null", nameof(parameters));
            if (!parameters[i].IsLeaf) throw new ArgumentException($"parameter {i} ({parameters[i]}) is not a leaf tensor", nameof(parameters));
        }
        this.group = group;
        this.parameters = parameters.ToArray();
        this.buffers = buffers?.ToArray() ?? Array.Empty<Tensor>();
        BucketBytes = bucketBytes;
        Compression = compression;
    }

    /// <summary>The bucket size bound in bytes.</summary>
    public long BucketBytes { get; }

    /// <summary>How gradient buckets travel.</summary>
    public GradientCompression Compression { get; }

    /// <summary>True when there is more than one rank (otherwise nothing is communicated).</summary>
    public bool IsActive => group is not null && group.WorldSize > 1;

    /// <summary>
    /// The current buckets' sizes in bytes, in all-reduce order: reverse parameter order, one dtype per bucket (builds
    /// the layout if needed; empty when nothing is trainable).
    /// </summary>
    public IReadOnlyList<long> BucketSizes => EnsureLayout(validateAcrossRanks: false)?.BucketSizes ?? Array.Empty<long>();

    /// <summary>How many buckets the last synchronised backward all-reduced while it was still running.</summary>
    public int BucketsOverlapped => reducer?.BucketsLaunchedInBackward ?? 0;

    /// <summary>Copies every parameter and buffer from rank 0 to all ranks, so that training starts from the same weights.</summary>
    public void BroadcastParameters()
    {
        if (!IsActive) return;
        using var noGrad = Torch.NoGrad();
        group!.Broadcast(parameters, root: 0);
        if (buffers.Length > 0) group.Broadcast(buffers, root: 0);
    }

    /// <summary>Copies the buffers (e.g. BatchNorm running statistics) from rank 0, e.g. before evaluating or saving.</summary>
    public void BroadcastBuffers()
    {
        if (!IsActive || buffers.Length == 0) return;
        using var noGrad = Torch.NoGrad();
        group!.Broadcast(buffers, root: 0);
    }

    /// <summary>
    /// Arms the gradient hooks for the next backward, so that its buckets are all-reduced while it runs. Call on every
    /// rank right before the backward that ends an optimizer step (not before accumulation-only backward passes).
    /// </summary>
    public void Prepare()
    {
        if (!IsActive) return;
        EnsureLayout(validateAcrossRanks: true)?.Prepare(group!);
    }

    /// <summary>
    /// Replaces each trainable parameter's gradient by the mean of that gradient over all ranks. Call after
    /// <see cref="Tensor.Backward"/> and before the optimizer step, on every rank (after <see cref="Prepare"/> the
    /// buckets are already on their way; without it, everything is all-reduced now).
    /// </summary>
    public void Synchronize()
    {
        if (!IsActive) return;
        EnsureLayout(validateAcrossRanks: true)?.Finish(group!);
    }

    /// <summary>Removes the gradient hooks and frees the buckets.</summary>
    public void Dispose()
    {
        reducer?.Dispose();
        reducer = null;
    }

    /// <summary>Builds the reducer over the trainable parameters, again whenever the set of frozen parameters changed.</summary>
    private GradientReducer? EnsureLayout(bool validateAcrossRanks)
    {
        var mask = parameters.Select(p => p.RequiresGrad).ToArray();
        if (layoutMask is null || !mask.AsSpan().SequenceEqual(layoutMask))
        {
            reducer?.Dispose();
            var trainable = parameters.Where((_, i) => mask[i]).ToArray();
            reducer = trainable.Length == 0 ? null : new GradientReducer(trainable, BucketBytes, Compression);
            layoutMask = mask;
            layoutValidated = false;
        }
        if (validateAcrossRanks && !layoutValidated)
        {
            ValidateLayout(mask);
            layoutValidated = true;
        }
        return reducer;
    }

    /// <summary>Checks that every rank has the same parameters and frozen set; a mismatch would deadlock or mix up gradients.</summary>
    private void ValidateLayout(bool[] mask)
    {
        if (!IsActive) return;
        long trainable = 0, elements = 0, shapeHash = 17;
        for (var i = 0; i < parameters.Length; i++)
        {
            if (!mask[i]) continue;
            trainable++;
            elements += parameters[i].NumberOfElements;
            foreach (var s in parameters[i].Shape) shapeHash = (shapeHash * 31 + s + 1) % (1L << 40);
        }
        var local = new double[] { parameters.Length, trainable, elements, shapeHash };
        using var scope = Torch.NewDisposeScope();
        using var t = Tensor.FromArray(local);
        var all = group!.AllGather(t).ToArray<double>();
        for (var r = 0; r < group.WorldSize; r++)
        {
            for (var k = 0; k < local.Length; k++)
            {
                if (all[r * local.Length + k] == local[k]) continue;
                throw new InvalidOperationException(
                    $"rank {group.Rank}: the model differs from rank {r}'s: this rank has {parameters.Length} parameters, {trainable} trainable " +
                    $"with {elements} elements; rank {r} has {all[r * local.Length]}, {all[r * local.Length + 1]} and {all[r * local.Length + 2]} " +
                    "(every rank must build the same model and freeze the same layers)");
            }
        }
    }
}
