using SharpVision.Engine;
using SharpVision.Engine.Distributed;

namespace SharpVision.Distributed;

/// <summary>
/// Data-parallel training without a DistributedDataParallel wrapper: start every rank from rank 0's weights
/// (<see cref="BroadcastParameters"/>) and, after each backward, replace every gradient by its mean over the ranks
/// (<see cref="Synchronize"/>). Gradients are all-reduced in size-bounded buckets (25 MiB by default, like DDP): each
/// bucket is flattened into one contiguous tensor, all-reduced once, and copied back.
/// </summary>
/// <remarks>
/// Parameters that do not require grad (frozen) are skipped; every rank must freeze the same ones, which is checked
/// whenever the bucket layout is (re)built. A trainable parameter without a gradient on this step (unused in the
/// forward) contributes zeros, so the ranks' buckets always line up. The all-reduce runs after backward, not overlapped
/// with it: the engine exposes no autograd hooks (see docs/distributed.md). With no group, or a group of one, every
/// call returns at once.
/// </remarks>
public sealed class GradientSynchronizer
{
    /// <summary>DDP's default bucket size: 25 MiB.</summary>
    public const long DefaultBucketBytes = 25L * 1024 * 1024;

    private readonly ProcessGroup? group;
    private readonly Tensor[] parameters;
    private readonly Tensor[] buffers;
    private List<Tensor[]>? buckets;
    private bool[]? layoutMask;
    private bool layoutValidated;

    /// <summary>Creates the synchronizer.</summary>
    /// <param name="group">The process group; null for a single-process run.</param>
    /// <param name="parameters">The model's parameters (leaf tensors) in the same order on every rank.</param>
    /// <param name="buffers">Non-trained state that must match across ranks (BatchNorm running statistics), or null.</param>
    /// <param name="bucketBytes">Upper bound of a bucket in bytes; a larger parameter gets a bucket of its own.</param>
    public GradientSynchronizer(ProcessGroup? group, IReadOnlyList<Tensor> parameters, IReadOnlyList<Tensor>? buffers = null,
        long bucketBytes = DefaultBucketBytes)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (bucketBytes < 1) throw new ArgumentOutOfRangeException(nameof(bucketBytes), bucketBytes, "bucket size must be positive");
        for (var i = 0; i < parameters.Count; i++)
        {
            if (parameters[i] is null) throw new ArgumentException($"parameter {i} is null", nameof(parameters));
            if (!parameters[i].IsLeaf) throw new ArgumentException($"parameter {i} ({parameters[i]}) is not a leaf tensor", nameof(parameters));
        }
        this.group = group;
        this.parameters = parameters.ToArray();
        this.buffers = buffers?.ToArray() ?? Array.Empty<Tensor>();
        BucketBytes = bucketBytes;
    }

    /// <summary>The bucket size bound in bytes.</summary>
    public long BucketBytes { get; }

    /// <summary>True when there is more than one rank (otherwise nothing is communicated).</summary>
    public bool IsActive => group is not null && group.WorldSize > 1;

    /// <summary>The current buckets' sizes in bytes, in all-reduce order (builds the layout if needed).</summary>
    public IReadOnlyList<long> BucketSizes
    {
        get
        {
            EnsureLayout(validateAcrossRanks: false);
            return buckets!.Select(b => b.Sum(p => p.NumberOfElements * p.DType.ElementSize())).ToArray();
        }
    }

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
    /// Replaces each trainable parameter's gradient by the mean of that gradient over all ranks. Call after
    /// <see cref="Tensor.Backward"/> and before the optimizer step, on every rank.
    /// </summary>
    public void Synchronize()
    {
        if (!IsActive) return;
        EnsureLayout(validateAcrossRanks: true);
        using var noGrad = Torch.NoGrad();
        foreach (var bucket in buckets!)
        {
            using var scope = Torch.NewDisposeScope();
            var grads = new Tensor[bucket.Length];
            for (var i = 0; i < bucket.Length; i++) grads[i] = GradOrZeros(bucket[i]);
            if (grads.Length == 1)
            {
                group!.AllReduce(grads[0], ReduceOp.Avg);
                continue;
            }
            var flats = new Tensor[grads.Length];
            for (var i = 0; i < grads.Length; i++) flats[i] = grads[i].Flatten();
            var flat = Tensor.Cat(flats);
            group!.AllReduce(flat, ReduceOp.Avg);
            long offset = 0;
            foreach (var g in grads)
            {
                var n = g.NumberOfElements;
                g.Copy_(flat.Narrow(0, offset, n).View(g.Shape));
                offset += n;
            }
        }
    }

    private static Tensor GradOrZeros(Tensor parameter)
    {
        var g = parameter.Grad;
        if (g is not null) return g;
        using (var zeros = Tensor.Zeros(parameter.Shape, parameter.DType, parameter.Device)) parameter.SetGrad(zeros);
        return parameter.Grad ?? throw new InvalidOperationException("libtorch did not keep the zero gradient that was set");
    }

    /// <summary>Builds the buckets from the trainable parameters, again whenever the set of frozen parameters changed.</summary>
    private void EnsureLayout(bool validateAcrossRanks)
    {
        var mask = parameters.Select(p => p.RequiresGrad).ToArray();
        if (buckets is null || layoutMask is null || !mask.AsSpan().SequenceEqual(layoutMask))
        {
            buckets = BuildBuckets(mask);
            layoutMask = mask;
            layoutValidated = false;
        }
        if (validateAcrossRanks && !layoutValidated)
        {
            ValidateLayout(mask);
            layoutValidated = true;
        }
    }

    private List<Tensor[]> BuildBuckets(bool[] mask)
    {
        // Consecutive parameters of one dtype and device share a bucket until it would exceed BucketBytes. Buckets are
        // listed in the order they close, then the open ones in the order they opened: the same order on every rank.
        var result = new List<Tensor[]>();
        var open = new List<(DType DType, Device Device, List<Tensor> Members, long Bytes)>();
        for (var i = 0; i < parameters.Length; i++)
        {
            if (!mask[i]) continue;
            var p = parameters[i];
            var (dtype, device) = (p.DType, p.Device);
            var bytes = p.NumberOfElements * dtype.ElementSize();
            var at = open.FindIndex(b => b.DType == dtype && b.Device == device);
            if (at >= 0 && open[at].Bytes + bytes > BucketBytes)
            {
                result.Add(open[at].Members.ToArray());
                open.RemoveAt(at);
                at = -1;
            }
            if (at < 0)
            {
                open.Add((dtype, device, new List<Tensor> { p }, bytes));
                continue;
            }
            open[at].Members.Add(p);
            open[at] = open[at] with { Bytes = open[at].Bytes + bytes };
        }
        result.AddRange(open.Select(b => b.Members.ToArray()));
        return result;
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
