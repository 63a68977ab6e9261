using System.Runtime.InteropServices;
using SharpVision.Engine.Native;

namespace SharpVision.Engine;

/// <summary>Process-wide engine settings: threads, seeding, determinism, grad mode, devices, dispose scopes.</summary>
public static class Torch
{
    private static readonly object InitLock = new();
    private static volatile bool initialized;

    /// <summary>
    /// Loads libtorch and applies the defaults: intra-op threads = all cores (or $SHARPVISION_THREADS), and
    /// glibc malloc tuned so that big activation buffers are reused instead of returned to the OS every step
    /// ($SHARPVISION_MALLOC=default turns that off). Called automatically by the first tensor.
    /// </summary>
    public static void EnsureInitialized()
    {
        if (initialized) return;
        lock (InitLock)
        {
            if (initialized) return;
            var threads = Environment.ProcessorCount;
            if (int.TryParse(Environment.GetEnvironmentVariable("SHARPVISION_THREADS"), out var t) && t > 0) threads = t;
            NativeError.Check(NativeMethods.sv_set_num_threads(threads));
            if (Environment.GetEnvironmentVariable("SHARPVISION_MALLOC") != "default") TuneAllocator();
            initialized = true;
        }
    }

    /// <summary>
    /// Keeps freed tensor buffers in the process heap for reuse: no block is served by mmap (<paramref name="mmapMax"/>
    /// 0; glibc's threshold stops at 32 MiB, and a MobileNetV2 batch at 160–224 px has 100+ MiB activations that were
    /// mapped and page-faulted afresh every step) and no trimming below 1 GiB of free heap. See docs/engine.md
    /// (Allocator) for the measured effect.
    /// </summary>
    public static void TuneAllocator(long mmapThreshold = 32L << 20, long trimThreshold = 1L << 30, int mmapMax = 0) =>
        NativeMethods.sv_malloc_tune(mmapThreshold, trimThreshold, mmapMax);

    /// <summary>The libtorch version the shim was built against, e.g. "1.13.1".</summary>
    public static string Version
    {
        get
        {
            EnsureInitialized();
            return Marshal.PtrToStringUTF8(NativeMethods.sv_torch_version()) ?? "?";
        }
    }

    /// <summary>Number of threads used inside one operation (OpenMP pool).</summary>
    public static int NumThreads
    {
        get { EnsureInitialized(); return NativeMethods.sv_get_num_threads(); }
        set
        {
            EnsureInitialized();
            if (value < 1) throw new ArgumentOutOfRangeException(nameof(value), value, "thread count must be at least 1");
            NativeError.Check(NativeMethods.sv_set_num_threads(value));
        }
    }

    /// <summary>Seeds libtorch's default generator (dropout, weight initialisation). Same seed, same CPU results.</summary>
    public static void ManualSeed(ulong seed)
    {
        EnsureInitialized();
        NativeError.Check(NativeMethods.sv_manual_seed(seed));
    }

    /// <summary>Asks libtorch to use deterministic algorithms only (CPU runs are deterministic already).</summary>
    public static void SetDeterministic(bool on)
    {
        EnsureInitialized();
        NativeError.Check(NativeMethods.sv_set_deterministic(on ? 1 : 0));
    }

    /// <summary>Opens a scope that frees the tensors created inside it. See <see cref="DisposeScope"/>.</summary>
    public static DisposeScope NewDisposeScope()
    {
        EnsureInitialized();
        return new DisposeScope();
    }

    /// <summary>Number of native tensors alive in this process (created and not yet disposed or finalized).</summary>
    public static long LiveTensors => Tensor.LiveCount;

    /// <summary>True when autograd records operations on this thread.</summary>
    public static bool IsGradEnabled
    {
        get { EnsureInitialized(); return NativeMethods.sv_is_grad_enabled() != 0; }
    }

    /// <summary>Disables autograd on this thread until the returned scope is disposed.</summary>
    public static GradModeScope NoGrad() => new(false);

    /// <summary>Enables autograd on this thread until the returned scope is disposed.</summary>
    public static GradModeScope EnableGrad() => new(true);

    /// <summary>Returns freed heap memory to the operating system.</summary>
    public static void TrimMemory() => NativeMethods.sv_malloc_trim();
}

/// <summary>Restores the previous grad mode when disposed.</summary>
public readonly struct GradModeScope : IDisposable
{
    private readonly bool previous;

    internal GradModeScope(bool enabled)
    {
        Torch.EnsureInitialized();
        previous = NativeMethods.sv_set_grad_enabled(enabled ? 1 : 0) != 0;
    }

    /// <inheritdoc />
    public void Dispose() => NativeMethods.sv_set_grad_enabled(previous ? 1 : 0);
}

/// <summary>CUDA availability. With Debian's CPU libtorch, CUDA is simply unavailable.</summary>
public static class Cuda
{
    /// <summary>True when the libtorch has CUDA and a GPU is visible.</summary>
    public static bool IsAvailable
    {
        get { Torch.EnsureInitialized(); return NativeMethods.sv_cuda_is_available() != 0; }
    }

    /// <summary>Number of visible CUDA devices (0 without CUDA).</summary>
    public static int DeviceCount
    {
        get { Torch.EnsureInitialized(); return NativeMethods.sv_cuda_device_count(); }
    }

    /// <summary>Waits for all work on the device to finish (for timing).</summary>
    public static void Synchronize(int index = -1)
    {
        if (IsAvailable) NativeError.Check(NativeMethods.sv_cuda_synchronize(index));
    }
}
