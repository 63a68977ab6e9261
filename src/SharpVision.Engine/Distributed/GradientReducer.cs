using SharpVision.Engine.Native;

namespace SharpVision.Engine.Distributed;

/// <summary>
/// PyTorch DDP's reducer in the native shim: hooks on each parameter's gradient accumulator mark it ready as autograd
/// produces its gradient; parameters are grouped into buckets (in reverse order, at most <c>bucketBytes</c> each, the
/// first one at most 1 MiB as in DDP) and a
/// bucket is all-reduced asynchronously as soon as all its gradients are ready, overlapping the rest of backward.
/// <see cref="Finish"/> waits for every bucket and sets each parameter's gradient to its slice of the bucket, averaged
/// over the ranks (DDP's <c>gradient_as_bucket_view</c>: no copy back).
/// </summary>
/// <remarks>
/// One step: <see cref="Prepare"/> before the backward whose gradients are to be synchronised, then <see cref="Finish"/>
/// before the optimizer step. A backward without <see cref="Prepare"/> (gradient accumulation's no_sync) is not seen.
/// A parameter without a gradient in the step (unused in the forward) contributes its current gradient, or zeros, at
/// <see cref="Finish"/>, and receives the average. The hooks run natively on autograd's thread and never call managed
/// code. Dispose before the parameters' tensors, and not while a backward runs. A gradient read after
/// <see cref="Finish"/> is a view of the bucket: the next synchronised backward overwrites it, so copy what must outlive
/// the step.
/// </remarks>
public sealed unsafe class GradientReducer : IDisposable
{
    private IntPtr handle;

    /// <summary>DDP's cap of the first bucket (the last layers' gradients, ready first): 1 MiB, so that communication starts early.</summary>
    public const long DefaultFirstBucketBytes = 1L * 1024 * 1024;

    /// <summary>Creates the reducer and registers its hooks.</summary>
    /// <param name="parameters">Trainable leaf tensors, the same ones in the same order on every rank.</param>
    /// <param name="bucketBytes">Upper bound of a bucket in bytes; a larger parameter gets a bucket of its own.</param>
    /// <param name="compression">How buckets travel.</param>
    /// <param name="firstBucketBytes">Upper bound of the first bucket of each dtype (null: the smaller of <see cref="DefaultFirstBucketBytes"/> and <paramref name="bucketBytes"/>).</param>
    /// <exception cref="TorchValueException">A parameter is not a trainable leaf, or an argument is out of range.</exception>
    public GradientReducer(IReadOnlyList<Tensor> parameters, long bucketBytes, GradientCompression compression = GradientCompression.None,
        long? firstBucketBytes = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Torch.EnsureInitialized();
        var h = Tensor.Handles(parameters);
        IntPtr r;
        fixed (IntPtr* p = h) NativeError.Check(DistributedNative.sv_reducer_create(p, h.Length, firstBucketBytes ?? Math.Min(DefaultFirstBucketBytes, bucketBytes), bucketBytes, (int)compression, &r));
        handle = r;
        Compression = compression;
        var count = DistributedNative.sv_reducer_bucket_sizes(handle, null, 0);
        var sizes = new long[count];
        fixed (long* s = sizes) DistributedNative.sv_reducer_bucket_sizes(handle, s, count);
        BucketSizes = sizes;
    }

    /// <summary>The buckets' sizes in bytes, in all-reduce order.</summary>
    public IReadOnlyList<long> BucketSizes { get; }

    /// <summary>How buckets travel.</summary>
    public GradientCompression Compression { get; }

    /// <summary>How many buckets the last synchronised backward all-reduced from its hooks, i.e. overlapped with backward.</summary>
    public int BucketsLaunchedInBackward => DistributedNative.sv_reducer_launched_in_backward(Handle);

    private IntPtr Handle => handle != IntPtr.Zero ? handle : throw new ObjectDisposedException(nameof(GradientReducer));

    /// <summary>Arms the hooks for the next backward, whose buckets are then all-reduced over <paramref name="group"/> as they fill.</summary>
    public void Prepare(ProcessGroup group)
    {
        ArgumentNullException.ThrowIfNull(group);
        NativeError.Check(DistributedNative.sv_reducer_prepare(Handle, group.Handle));
    }

    /// <summary>
    /// Completes the step on every rank: reduces what backward did not launch, waits for all buckets and replaces each
    /// parameter's gradient by its mean over the ranks. Without <see cref="Prepare"/>, reduces the current gradients.
    /// </summary>
    /// <exception cref="DistributedException">A peer is gone or the all-reduce timed out.</exception>
    public void Finish(ProcessGroup group)
    {
        ArgumentNullException.ThrowIfNull(group);
        NativeError.Check(DistributedNative.sv_reducer_finalize(Handle, group.Handle));
    }

    /// <summary>Removes the hooks and frees the buckets.</summary>
    public void Dispose()
    {
        var h = Interlocked.Exchange(ref handle, IntPtr.Zero);
        if (h != IntPtr.Zero) DistributedNative.sv_reducer_destroy(h);
    }
}
