using SharpVision.Engine.Native;

namespace SharpVision.Engine;

public sealed partial class Tensor
{
    /// <summary>An uninitialised tensor.</summary>
    public static unsafe Tensor Empty(long[] shape, DType dtype = DType.Float32, Device? device = null, bool requiresGrad = false)
    {
        var d = device ?? Device.Cpu;
        fixed (long* s = shape) return Wrap(NativeMethods.sv_empty(s, shape.Length, (int)dtype, (int)d.Type, d.Index, requiresGrad ? 1 : 0));
    }

    /// <summary>A tensor of zeros.</summary>
    public static unsafe Tensor Zeros(long[] shape, DType dtype = DType.Float32, Device? device = null, bool requiresGrad = false)
    {
        var d = device ?? Device.Cpu;
        fixed (long* s = shape) return Wrap(NativeMethods.sv_zeros(s, shape.Length, (int)dtype, (int)d.Type, d.Index, requiresGrad ? 1 : 0));
    }

    /// <summary>A tensor of ones.</summary>
    public static unsafe Tensor Ones(long[] shape, DType dtype = DType.Float32, Device? device = null, bool requiresGrad = false)
    {
        var d = device ?? Device.Cpu;
        fixed (long* s = shape) return Wrap(NativeMethods.sv_ones(s, shape.Length, (int)dtype, (int)d.Type, d.Index, requiresGrad ? 1 : 0));
    }

    /// <summary>A tensor filled with <paramref name="value"/>.</summary>
    public static unsafe Tensor Full(long[] shape, double value, DType dtype = DType.Float32, Device? device = null, bool requiresGrad = false)
    {
        var d = device ?? Device.Cpu;
        fixed (long* s = shape) return Wrap(NativeMethods.sv_full(s, shape.Length, value, (int)dtype, (int)d.Type, d.Index, requiresGrad ? 1 : 0));
    }

    /// <summary>A scalar (0-dimensional) tensor.</summary>
    public static Tensor Scalar(double value, DType dtype = DType.Float32, Device? device = null) => Full(Array.Empty<long>(), value, dtype, device);

    /// <summary>Values from <paramref name="start"/> up to (excluding) <paramref name="end"/> in steps of <paramref name="step"/>.</summary>
    public static Tensor Arange(double start, double end, double step = 1, DType dtype = DType.Int64, Device? device = null)
    {
        var d = device ?? Device.Cpu;
        return Wrap(NativeMethods.sv_arange(start, end, step, (int)dtype, (int)d.Type, d.Index));
    }

    /// <summary>Values 0 .. <paramref name="end"/>-1.</summary>
    public static Tensor Arange(long end, DType dtype = DType.Int64, Device? device = null) => Arange(0, end, 1, dtype, device);

    /// <summary><paramref name="steps"/> evenly spaced values from start to end inclusive.</summary>
    public static Tensor Linspace(double start, double end, long steps, DType dtype = DType.Float32, Device? device = null)
    {
        var d = device ?? Device.Cpu;
        return Wrap(NativeMethods.sv_linspace(start, end, steps, (int)dtype, (int)d.Type, d.Index));
    }

    /// <summary>The n×n identity matrix.</summary>
    public static Tensor Eye(long n, DType dtype = DType.Float32, Device? device = null)
    {
        var d = device ?? Device.Cpu;
        return Wrap(NativeMethods.sv_eye(n, (int)dtype, (int)d.Type, d.Index));
    }

    /// <summary>Uniform [0, 1) values, drawn from <paramref name="generator"/> (or the default generator).</summary>
    public static unsafe Tensor Rand(long[] shape, Generator? generator = null, DType dtype = DType.Float32, Device? device = null)
    {
        var d = device ?? Device.Cpu;
        fixed (long* s = shape) return Wrap(NativeMethods.sv_rand(s, shape.Length, generator?.Handle ?? IntPtr.Zero, (int)dtype, (int)d.Type, d.Index));
    }

    /// <summary>Standard normal values.</summary>
    public static unsafe Tensor Randn(long[] shape, Generator? generator = null, DType dtype = DType.Float32, Device? device = null)
    {
        var d = device ?? Device.Cpu;
        fixed (long* s = shape) return Wrap(NativeMethods.sv_randn(s, shape.Length, generator?.Handle ?? IntPtr.Zero, (int)dtype, (int)d.Type, d.Index));
    }

    /// <summary>Uniform integers in [low, high).</summary>
    public static unsafe Tensor Randint(long low, long high, long[] shape, Generator? generator = null, DType dtype = DType.Int64, Device? device = null)
    {
        if (high <= low) throw new ArgumentException($"randint needs low < high, got [{low}, {high})");
        var d = device ?? Device.Cpu;
        fixed (long* s = shape) return Wrap(NativeMethods.sv_randint(low, high, s, shape.Length, generator?.Handle ?? IntPtr.Zero, (int)dtype, (int)d.Type, d.Index));
    }

    /// <summary>A random permutation of 0 .. n-1 (int64).</summary>
    public static Tensor Randperm(long n, Generator? generator = null, Device? device = null)
    {
        var d = device ?? Device.Cpu;
        return Wrap(NativeMethods.sv_randperm(n, generator?.Handle ?? IntPtr.Zero, (int)d.Type, d.Index));
    }

    /// <summary>Samples 0/1 with the probabilities in this tensor.</summary>
    public Tensor Bernoulli(Generator? generator = null) => Wrap(NativeMethods.sv_bernoulli(Handle, generator?.Handle ?? IntPtr.Zero));

    /// <summary>Fills in place with uniform values in [from, to).</summary>
    public Tensor Uniform_(double from, double to, Generator? generator = null)
    {
        NativeError.Check(NativeMethods.sv_uniform_(Handle, from, to, generator?.Handle ?? IntPtr.Zero));
        return this;
    }

    /// <summary>Fills in place with normal values.</summary>
    public Tensor Normal_(double mean, double std, Generator? generator = null)
    {
        NativeError.Check(NativeMethods.sv_normal_(Handle, mean, std, generator?.Handle ?? IntPtr.Zero));
        return this;
    }

    /// <summary>A zero tensor with this tensor's shape, dtype and device.</summary>
    public Tensor ZerosLike() => Zeros(Shape, DType, Device);

    /// <summary>A one tensor with this tensor's shape, dtype and device.</summary>
    public Tensor OnesLike() => Ones(Shape, DType, Device);

    /// <summary>A tensor filled with <paramref name="value"/> with this tensor's shape, dtype and device.</summary>
    public Tensor FullLike(double value) => Full(Shape, value, DType, Device);
}
