using SharpVision.Engine.Native;

namespace SharpVision.Engine.Distributed;

/// <summary>
/// A group of processes that run collectives together (PyTorch's c10d underneath): rank 0 hosts a TCP store, every
/// rank meets there, and a Gloo group (CPU) — plus an NCCL group for CUDA tensors where libtorch has NCCL — is built.
/// Every rank must call the same collectives in the same order with tensors of the same shapes and dtypes.
/// </summary>
/// <remarks>
/// Collectives block until done; a peer that died or stopped answering makes them throw
/// <see cref="DistributedException"/> (at once when its connection closed, else after <see cref="Timeout"/>).
/// After such a failure the group is unusable: report and exit. Not thread-safe: use one thread per group.
/// </remarks>
public sealed unsafe class ProcessGroup : IDisposable
{
    private IntPtr handle;

    private ProcessGroup(IntPtr handle, DistributedOptions options)
    {
        this.handle = handle;
        Options = options;
    }

    /// <summary>True when the native shim was built with c10d (Gloo); otherwise <see cref="Init"/> throws.</summary>
    public static bool IsAvailable
    {
        get { Torch.EnsureInitialized(); return DistributedNative.sv_dist_is_available() != 0; }
    }

    /// <summary>True when the native shim was built against a CUDA libtorch with NCCL.</summary>
    public static bool IsNcclAvailable
    {
        get { Torch.EnsureInitialized(); return DistributedNative.sv_dist_nccl_available() != 0; }
    }

    /// <summary>
    /// Joins the group described by <paramref name="options"/>; returns when all <see cref="DistributedOptions.WorldSize"/>
    /// ranks have joined.
    /// </summary>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    /// <exception cref="DistributedException">The rendezvous failed or timed out.</exception>
    /// <exception cref="TorchNotImplementedException">This libtorch has no c10d (or no NCCL when NCCL was asked for).</exception>
    public static ProcessGroup Init(DistributedOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Torch.EnsureInitialized();
        IntPtr h;
        var status = DistributedNative.sv_dist_init(options.MasterAddress, options.MasterPort, options.Rank, options.WorldSize,
            (long)Math.Ceiling(options.Timeout.TotalMilliseconds), (int)options.Backend, options.NetworkInterface, &h);
        NativeError.Check(status);
        return new ProcessGroup(h, options);
    }

    /// <summary>Joins the group described by torchrun's environment variables (see <see cref="DistributedEnvironment"/>).</summary>
    public static ProcessGroup FromEnvironment(TimeSpan? timeout = null, DistributedBackend backend = DistributedBackend.Auto) =>
        Init(DistributedEnvironment.Read(timeout, backend));

    /// <summary>The options this group was created with.</summary>
    public DistributedOptions Options { get; }

    /// <summary>This process's rank, 0 … <see cref="WorldSize"/> − 1.</summary>
    public int Rank => DistributedNative.sv_dist_rank(Handle);

    /// <summary>The number of processes in the group.</summary>
    public int WorldSize => DistributedNative.sv_dist_world_size(Handle);

    /// <summary>This process's index on its machine (LOCAL_RANK): use GPU <c>cuda:LocalRank</c>.</summary>
    public int LocalRank => Options.LocalRank;

    /// <summary>True on rank 0, the rank that writes checkpoints, logs and reports.</summary>
    public bool IsMain => Rank == 0;

    /// <summary>The timeout of each collective.</summary>
    public TimeSpan Timeout => Options.Timeout;

    internal IntPtr Handle => handle != IntPtr.Zero ? handle : throw new ObjectDisposedException(nameof(ProcessGroup));

    /// <summary>Overwrites each tensor on every rank with its value on <paramref name="root"/> (in place).</summary>
    public void Broadcast(IReadOnlyList<Tensor> tensors, int root = 0)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (tensors.Count == 0) return;
        var h = Tensor.Handles(tensors);
        fixed (IntPtr* p = h) NativeError.Check(DistributedNative.sv_dist_broadcast(Handle, p, h.Length, root));
    }

    /// <summary>Overwrites <paramref name="tensor"/> on every rank with its value on <paramref name="root"/>.</summary>
    public void Broadcast(Tensor tensor, int root = 0) => Broadcast(new[] { tensor }, root);

    /// <summary>Combines each tensor element-wise across the ranks and writes the result into it on every rank (in place).</summary>
    public void AllReduce(IReadOnlyList<Tensor> tensors, ReduceOp op = ReduceOp.Sum)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (tensors.Count == 0) return;
        var h = Tensor.Handles(tensors);
        fixed (IntPtr* p = h) NativeError.Check(DistributedNative.sv_dist_all_reduce(Handle, p, h.Length, (int)op));
    }

    /// <summary>All-reduces one tensor in place.</summary>
    public void AllReduce(Tensor tensor, ReduceOp op = ReduceOp.Sum) => AllReduce(new[] { tensor }, op);

    /// <summary>
    /// A new tensor holding the sum over the ranks of <paramref name="tensor"/> (a floating-point tensor), recorded by
    /// autograd: the backward pass all-reduces (sums) the incoming gradient, so a loss built from the result gets the
    /// gradient of the sum of every rank's loss. Every rank must call it, and run the backward through it, in the same
    /// order (synchronised BatchNorm's global batch statistics). The input is not modified; the group must outlive
    /// the backward.
    /// </summary>
    /// <exception cref="DistributedException">A peer is gone or the collective timed out (also from the backward).</exception>
    public Tensor AllReduceDifferentiable(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        IntPtr output;
        NativeError.Check(DistributedNative.sv_dist_all_reduce_differentiable(Handle, tensor.Handle, &output));
        return Tensor.Wrap(output);
    }

    /// <summary>True once <see cref="Dispose"/> ran: the group can no longer run collectives.</summary>
    public bool IsDisposed => handle == IntPtr.Zero;

    /// <summary>
    /// Gathers <paramref name="tensor"/> (same shape on every rank) from all ranks into a new tensor
    /// [WorldSize, ...shape] whose row r is rank r's value. Meant for small tensors such as metrics.
    /// </summary>
    public Tensor AllGather(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        IntPtr output;
        NativeError.Check(DistributedNative.sv_dist_all_gather(Handle, tensor.Handle, &output));
        return Tensor.Wrap(output);
    }

    /// <summary>Blocks until every rank has reached the barrier.</summary>
    public void Barrier() => NativeError.Check(DistributedNative.sv_dist_barrier(Handle));

    /// <summary>
    /// Leaves the group. Rank 0 hosts the store: dispose it last (a <see cref="Barrier"/> before disposing keeps rank 0
    /// alive until the others are done).
    /// </summary>
    public void Dispose()
    {
        var h = Interlocked.Exchange(ref handle, IntPtr.Zero);
        if (h != IntPtr.Zero) DistributedNative.sv_dist_destroy(h);
    }

    /// <inheritdoc />
    public override string ToString() =>
        handle == IntPtr.Zero ? "ProcessGroup(disposed)" : $"ProcessGroup(rank {Rank}/{WorldSize}, {Options.MasterAddress}:{Options.MasterPort})";
}
