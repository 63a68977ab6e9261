using SharpVision.Engine.Native;

namespace SharpVision.Engine;

/// <summary>A seeded random-number generator (libtorch's CPU Philox/MT generator) for reproducible random tensors.</summary>
public sealed class Generator : IDisposable
{
    private IntPtr handle;

    /// <summary>Creates a generator with the given seed.</summary>
    public Generator(ulong seed)
    {
        Torch.EnsureInitialized();
        handle = NativeError.Check(NativeMethods.sv_generator_new(seed));
    }

    private Generator(IntPtr handle) => this.handle = handle;

    /// <summary>The process-wide default CPU generator (used by dropout and weight initialisation).</summary>
    public static Generator Default
    {
        get
        {
            Torch.EnsureInitialized();
            return new Generator(NativeError.Check(NativeMethods.sv_generator_default()));
        }
    }

    internal IntPtr Handle => handle != IntPtr.Zero ? handle : throw new ObjectDisposedException(nameof(Generator));

    /// <summary>Re-seeds the generator.</summary>
    public void Seed(ulong seed) => NativeError.Check(NativeMethods.sv_generator_seed(Handle, seed));

    /// <summary>The generator's full state as bytes (for checkpoints that must resume bit for bit).</summary>
    public byte[] GetState()
    {
        using var t = new Tensor(NativeError.Check(NativeMethods.sv_generator_get_state(Handle)), register: false);
        return t.ToArray<byte>();
    }

    /// <summary>Restores a state returned by <see cref="GetState"/>.</summary>
    public void SetState(byte[] state)
    {
        using var t = Tensor.FromArray(state, new long[] { state.Length }, register: false);
        NativeError.Check(NativeMethods.sv_generator_set_state(Handle, t.Handle));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (handle != IntPtr.Zero) NativeMethods.sv_generator_free(handle);
        handle = IntPtr.Zero;
        GC.SuppressFinalize(this);
    }

    /// <summary>Frees the native generator if it was not disposed.</summary>
    ~Generator()
    {
        if (handle != IntPtr.Zero) NativeMethods.sv_generator_free(handle);
    }
}
