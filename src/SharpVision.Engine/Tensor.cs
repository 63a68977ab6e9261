using SharpVision.Engine.Native;

namespace SharpVision.Engine;

/// <summary>
/// An n-dimensional array held by libtorch, with autograd. The C# object owns one native reference and frees it in
/// <see cref="Dispose"/>; tensors created inside a <see cref="DisposeScope"/> are freed with the scope. A finalizer is
/// only a safety net.
/// </summary>
public sealed partial class Tensor : IDisposable
{
    private static long liveCount;
    private IntPtr handle;

    static Tensor() => Torch.EnsureInitialized();

    internal Tensor(IntPtr handle, bool register = true)
    {
        this.handle = handle;
        Interlocked.Increment(ref liveCount);
        if (register) DisposeScope.Current?.Register(this);
    }

    /// <summary>Wraps the result of a tensor-returning native call, throwing its error if it failed.</summary>
    internal static Tensor Wrap(IntPtr result) => new(NativeError.Check(result));

    internal static long LiveCount => Interlocked.Read(ref liveCount);

    internal DisposeScope? Scope { get; set; }

    /// <summary>True once the native tensor was freed.</summary>
    public bool IsDisposed => handle == IntPtr.Zero;

    internal IntPtr Handle => handle != IntPtr.Zero
        ? handle
        : throw new ObjectDisposedException(nameof(Tensor), "This tensor was disposed (directly or by its DisposeScope) and can no longer be used.");

    /// <summary>Frees the native tensor. Safe to call twice.</summary>
    public void Dispose()
    {
        var h = Interlocked.Exchange(ref handle, IntPtr.Zero);
        if (h == IntPtr.Zero) return;
        NativeMethods.sv_free(h);
        Interlocked.Decrement(ref liveCount);
        GC.SuppressFinalize(this);
    }

    /// <summary>Frees the native tensor if <see cref="Dispose"/> was never called.</summary>
    ~Tensor()
    {
        var h = Interlocked.Exchange(ref handle, IntPtr.Zero);
        if (h == IntPtr.Zero) return;
        NativeMethods.sv_free(h);
        Interlocked.Decrement(ref liveCount);
    }

    /// <summary>Moves this tensor out of its scope into the enclosing one (see <see cref="DisposeScope.MoveToOuter"/>).</summary>
    public Tensor MoveToOuterDisposeScope() => Scope is null ? this : Scope.MoveToOuter(this);

    /// <summary>Removes this tensor from every dispose scope: the caller now owns it.</summary>
    public Tensor DetachFromDisposeScope()
    {
        Scope = null;
        return this;
    }

    // ---- properties ----

    /// <summary>Number of dimensions.</summary>
    public int Dim => NativeMethods.sv_dim(Handle);

    /// <summary>The size of each dimension.</summary>
    public unsafe long[] Shape
    {
        get
        {
            var h = Handle;
            var s = new long[NativeMethods.sv_dim(h)];
            fixed (long* p = s) NativeMethods.sv_shape(h, p);
            return s;
        }
    }

    /// <summary>Size of dimension <paramref name="dim"/> (negative counts from the end).</summary>
    public long Size(int dim)
    {
        var s = Shape;
        var d = dim < 0 ? dim + s.Length : dim;
        if (d < 0 || d >= s.Length) throw new ArgumentOutOfRangeException(nameof(dim), dim, $"tensor has {s.Length} dimensions");
        return s[d];
    }

    /// <summary>Total number of elements.</summary>
    public long NumberOfElements => NativeMethods.sv_numel(Handle);

    /// <summary>The element type.</summary>
    public DType DType => (DType)NativeMethods.sv_dtype(Handle);

    /// <summary>Where the data lives.</summary>
    public Device Device
    {
        get
        {
            var h = Handle;
            return NativeMethods.sv_device_type(h) == 1 ? Device.Cuda(NativeMethods.sv_device_index(h)) : Device.Cpu;
        }
    }

    /// <summary>Whether autograd records operations on this tensor (set on parameters).</summary>
    public bool RequiresGrad
    {
        get => NativeMethods.sv_requires_grad(Handle) != 0;
        set => NativeError.Check(NativeMethods.sv_set_requires_grad(Handle, value ? 1 : 0));
    }

    /// <summary>True for tensors created by the user rather than by a recorded operation.</summary>
    public bool IsLeaf => NativeMethods.sv_is_leaf(Handle) != 0;

    /// <summary>True when the elements are laid out densely in row-major order.</summary>
    public bool IsContiguous => NativeMethods.sv_is_contiguous(Handle) != 0;

    /// <summary>The value of a one-element tensor.</summary>
    public unsafe double Item()
    {
        double v;
        NativeError.Check(NativeMethods.sv_item(Handle, &v));
        return v;
    }

    /// <summary>The value of a one-element tensor as an integer.</summary>
    public unsafe long ItemLong()
    {
        long v;
        NativeError.Check(NativeMethods.sv_item_long(Handle, &v));
        return v;
    }

    /// <summary>The value of a one-element tensor as float.</summary>
    public float ItemFloat() => (float)Item();

    // ---- data exchange ----

    /// <summary>Creates a CPU tensor holding a copy of <paramref name="data"/> with the given shape.</summary>
    public static Tensor FromArray<T>(ReadOnlySpan<T> data, ReadOnlySpan<long> shape) where T : unmanaged =>
        FromArray(data, shape, register: true);

    /// <summary>Creates a 1-D CPU tensor holding a copy of <paramref name="data"/>.</summary>
    public static Tensor FromArray<T>(T[] data) where T : unmanaged => FromArray<T>(data, new long[] { data.Length });

    /// <summary>Creates a CPU tensor holding a copy of <paramref name="data"/> with the given shape.</summary>
    public static Tensor FromArray<T>(T[] data, params long[] shape) where T : unmanaged => FromArray<T>(data.AsSpan(), shape);

    internal static unsafe Tensor FromArray<T>(ReadOnlySpan<T> data, ReadOnlySpan<long> shape, bool register) where T : unmanaged
    {
        Torch.EnsureInitialized();
        var dtype = DTypeExtensions.Of<T>();
        long count = 1;
        foreach (var s in shape)
        {
            if (s < 0) throw new ArgumentException($"negative dimension {s} in shape [{string.Join(", ", shape.ToArray())}]", nameof(shape));
            count *= s;
        }
        if (count != data.Length)
            throw new ArgumentException($"shape [{string.Join(", ", shape.ToArray())}] needs {count} elements but {data.Length} were given", nameof(shape));
        fixed (T* d = data)
        fixed (long* s = shape)
        {
            var h = NativeMethods.sv_from_data(d, (long)data.Length * sizeof(T), s, shape.Length, (int)dtype);
            return new Tensor(NativeError.Check(h), register);
        }
    }

    /// <summary>Creates a tensor from raw bytes of the given dtype (little-endian, row-major), e.g. from a safetensors file.</summary>
    public static unsafe Tensor FromBytes(ReadOnlySpan<byte> bytes, DType dtype, ReadOnlySpan<long> shape)
    {
        Torch.EnsureInitialized();
        fixed (byte* d = bytes)
        fixed (long* s = shape)
            return Wrap(NativeMethods.sv_from_data(d, bytes.Length, s, shape.Length, (int)dtype));
    }

    /// <summary>
    /// Creates a uint8 NCHW tensor [N, C, H, W] from interleaved 8-bit pixels laid out as N×H×W×C (the layout decoders produce).
    /// </summary>
    public static Tensor FromImageBytes(ReadOnlySpan<byte> pixels, int count, int height, int width, int channels)
    {
        using var nhwc = FromArray(pixels, new long[] { count, height, width, channels }, register: false);
        using var view = nhwc.Permute(0, 3, 1, 2);
        return view.Contiguous();
    }

    /// <summary>Copies the elements (row-major) into a new array; the element type must match <see cref="DType"/>.</summary>
    public T[] ToArray<T>() where T : unmanaged
    {
        var result = new T[checked((int)NumberOfElements)];
        CopyTo<T>(result);
        return result;
    }

    /// <summary>Copies the elements (row-major) into <paramref name="destination"/>, which must have exactly the tensor's size.</summary>
    public unsafe void CopyTo<T>(Span<T> destination) where T : unmanaged
    {
        var dtype = DTypeExtensions.Of<T>();
        if (dtype != DType) throw new TorchTypeException($"cannot copy a {DType} tensor into a {typeof(T).Name} buffer: convert it with .To(DType.{dtype}) first");
        fixed (T* p = destination)
            NativeError.Check(NativeMethods.sv_copy_to(Handle, p, (long)destination.Length * sizeof(T)));
    }

    /// <summary>Copies the raw bytes (little-endian, row-major) of the tensor.</summary>
    public unsafe byte[] ToBytes()
    {
        var bytes = new byte[checked(NumberOfElements * DType.ElementSize())];
        fixed (byte* p = bytes)
            NativeError.Check(NativeMethods.sv_copy_to(Handle, p, bytes.Length));
        return bytes;
    }

    /// <summary>The shape, dtype and device, e.g. "Tensor[32, 3, 128, 128] Float32 cpu".</summary>
    public override string ToString() =>
        IsDisposed ? "Tensor(disposed)" : $"Tensor[{string.Join(", ", Shape)}] {DType} {Device}{(RequiresGrad ? " requires_grad" : "")}";

    internal static IntPtr[] Handles(IReadOnlyList<Tensor> tensors)
    {
        var h = new IntPtr[tensors.Count];
        for (var i = 0; i < h.Length; i++) h[i] = tensors[i].Handle;
        return h;
    }

    internal static IntPtr HandleOrZero(Tensor? t) => t is null ? IntPtr.Zero : t.Handle;

    internal static string Describe(long[] shape) => "[" + string.Join(", ", shape) + "]";

}
