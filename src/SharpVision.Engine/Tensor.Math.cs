using SharpVision.Engine.Native;

namespace SharpVision.Engine;

public sealed partial class Tensor
{
    private enum Unary { Neg, Exp, Log, Sqrt, Rsqrt, Abs, Sign, Floor, Ceil, Round, Sin, Cos, Reciprocal, LogicalNot, IsNan, IsFinite, Log1p, Square }

    private enum Cmp { Eq, Ne, Lt, Le, Gt, Ge }

    private Tensor Un(Unary op) => Wrap(NativeMethods.sv_unary(Handle, (int)op));

    // ---- binary arithmetic with broadcasting ----

    /// <summary>this + alpha × other.</summary>
    public Tensor Add(Tensor other, double alpha = 1) => Wrap(NativeMethods.sv_add(Handle, other.Handle, alpha));
    /// <summary>this + scalar.</summary>
    public Tensor Add(double scalar) => Wrap(NativeMethods.sv_add_scalar(Handle, scalar, 0));
    /// <summary>this + integer scalar (an integer tensor stays integer, as with a Python int).</summary>
    public Tensor Add(long scalar) => Wrap(NativeMethods.sv_add_scalar(Handle, scalar, 1));
    /// <summary>this − alpha × other.</summary>
    public Tensor Sub(Tensor other, double alpha = 1) => Wrap(NativeMethods.sv_sub(Handle, other.Handle, alpha));
    /// <summary>this − scalar.</summary>
    public Tensor Sub(double scalar) => Wrap(NativeMethods.sv_add_scalar(Handle, -scalar, 0));
    /// <summary>this − integer scalar.</summary>
    public Tensor Sub(long scalar) => Wrap(NativeMethods.sv_add_scalar(Handle, -scalar, 1));
    /// <summary>Element-wise product.</summary>
    public Tensor Mul(Tensor other) => Wrap(NativeMethods.sv_mul(Handle, other.Handle));
    /// <summary>this × scalar.</summary>
    public Tensor Mul(double scalar) => Wrap(NativeMethods.sv_mul_scalar(Handle, scalar, 0));
    /// <summary>this × integer scalar.</summary>
    public Tensor Mul(long scalar) => Wrap(NativeMethods.sv_mul_scalar(Handle, scalar, 1));
    /// <summary>Element-wise true division.</summary>
    public Tensor Div(Tensor other) => Wrap(NativeMethods.sv_div(Handle, other.Handle));
    /// <summary>this ÷ scalar.</summary>
    public Tensor Div(double scalar) => Wrap(NativeMethods.sv_div_scalar(Handle, scalar));
    /// <summary>this ^ exponent.</summary>
    public Tensor Pow(double exponent) => Wrap(NativeMethods.sv_pow_scalar(Handle, exponent, 0));
    /// <summary>this ^ integer exponent.</summary>
    public Tensor Pow(long exponent) => Wrap(NativeMethods.sv_pow_scalar(Handle, exponent, 1));
    /// <summary>this ^ exponent, element-wise.</summary>
    public Tensor Pow(Tensor exponent) => Wrap(NativeMethods.sv_pow(Handle, exponent.Handle));
    /// <summary>Element-wise maximum.</summary>
    public Tensor Maximum(Tensor other) => Wrap(NativeMethods.sv_maximum(Handle, other.Handle));
    /// <summary>Element-wise minimum.</summary>
    public Tensor Minimum(Tensor other) => Wrap(NativeMethods.sv_minimum(Handle, other.Handle));
    /// <summary>Linear interpolation this + weight × (end − this).</summary>
    public Tensor Lerp(Tensor end, double weight) => Wrap(NativeMethods.sv_lerp(Handle, end.Handle, weight));
    /// <summary>Picks <paramref name="whenTrue"/> where <paramref name="condition"/> holds, else <paramref name="whenFalse"/>.</summary>
    public static Tensor Where(Tensor condition, Tensor whenTrue, Tensor whenFalse) =>
        Wrap(NativeMethods.sv_where(condition.Handle, whenTrue.Handle, whenFalse.Handle));

    /// <summary>Sum.</summary>
    public static Tensor operator +(Tensor a, Tensor b) => a.Add(b);
    /// <summary>Sum with a scalar.</summary>
    public static Tensor operator +(Tensor a, double b) => a.Add(b);
    /// <summary>Sum with a scalar.</summary>
    public static Tensor operator +(double a, Tensor b) => b.Add(a);
    /// <summary>Difference.</summary>
    public static Tensor operator -(Tensor a, Tensor b) => a.Sub(b);
    /// <summary>Difference with a scalar.</summary>
    public static Tensor operator -(Tensor a, double b) => a.Sub(b);
    /// <summary>Scalar minus tensor.</summary>
    public static Tensor operator -(double a, Tensor b) => Wrap(NativeMethods.sv_rsub_scalar(b.Handle, a, 0));
    /// <summary>Integer scalar minus tensor.</summary>
    public static Tensor operator -(long a, Tensor b) => Wrap(NativeMethods.sv_rsub_scalar(b.Handle, a, 1));
    /// <summary>Sum with an integer scalar (integer tensors stay integer).</summary>
    public static Tensor operator +(Tensor a, long b) => a.Add(b);
    /// <summary>Sum with an integer scalar.</summary>
    public static Tensor operator +(long a, Tensor b) => b.Add(a);
    /// <summary>Difference with an integer scalar.</summary>
    public static Tensor operator -(Tensor a, long b) => a.Sub(b);
    /// <summary>Product with an integer scalar (integer tensors stay integer).</summary>
    public static Tensor operator *(Tensor a, long b) => a.Mul(b);
    /// <summary>Product with an integer scalar.</summary>
    public static Tensor operator *(long a, Tensor b) => b.Mul(a);
    /// <summary>Negation.</summary>
    public static Tensor operator -(Tensor a) => a.Neg();
    /// <summary>Element-wise product.</summary>
    public static Tensor operator *(Tensor a, Tensor b) => a.Mul(b);
    /// <summary>Product with a scalar.</summary>
    public static Tensor operator *(Tensor a, double b) => a.Mul(b);
    /// <summary>Product with a scalar.</summary>
    public static Tensor operator *(double a, Tensor b) => b.Mul(a);
    /// <summary>Element-wise division.</summary>
    public static Tensor operator /(Tensor a, Tensor b) => a.Div(b);
    /// <summary>Division by a scalar.</summary>
    public static Tensor operator /(Tensor a, double b) => a.Div(b);
    /// <summary>Scalar divided by tensor.</summary>
    public static Tensor operator /(double a, Tensor b)
    {
        using var r = b.Reciprocal();
        return r.Mul(a);
    }

    // ---- unary ----

    /// <summary>−x.</summary>
    public Tensor Neg() => Un(Unary.Neg);
    /// <summary>eˣ.</summary>
    public Tensor Exp() => Un(Unary.Exp);
    /// <summary>Natural logarithm.</summary>
    public Tensor Log() => Un(Unary.Log);
    /// <summary>log(1 + x).</summary>
    public Tensor Log1p() => Un(Unary.Log1p);
    /// <summary>Square root.</summary>
    public Tensor Sqrt() => Un(Unary.Sqrt);
    /// <summary>1 / √x.</summary>
    public Tensor Rsqrt() => Un(Unary.Rsqrt);
    /// <summary>x².</summary>
    public Tensor Square() => Un(Unary.Square);
    /// <summary>|x|.</summary>
    public Tensor Abs() => Un(Unary.Abs);
    /// <summary>Sign (−1, 0, 1).</summary>
    public Tensor Sign() => Un(Unary.Sign);
    /// <summary>Floor.</summary>
    public Tensor Floor() => Un(Unary.Floor);
    /// <summary>Ceiling.</summary>
    public Tensor Ceil() => Un(Unary.Ceil);
    /// <summary>Round half to even.</summary>
    public Tensor Round() => Un(Unary.Round);
    /// <summary>Sine.</summary>
    public Tensor Sin() => Un(Unary.Sin);
    /// <summary>Cosine.</summary>
    public Tensor Cos() => Un(Unary.Cos);
    /// <summary>1 / x.</summary>
    public Tensor Reciprocal() => Un(Unary.Reciprocal);
    /// <summary>Logical not (bool result).</summary>
    public Tensor LogicalNot() => Un(Unary.LogicalNot);
    /// <summary>True where NaN.</summary>
    public Tensor IsNan() => Un(Unary.IsNan);
    /// <summary>True where finite.</summary>
    public Tensor IsFinite() => Un(Unary.IsFinite);

    /// <summary>Clamps into [min, max]; either bound may be null.</summary>
    public Tensor Clamp(double? min = null, double? max = null)
    {
        if (min is null && max is null) throw new ArgumentException("clamp needs at least one of min and max");
        return Wrap(NativeMethods.sv_clamp(Handle, min.HasValue ? 1 : 0, min ?? 0, max.HasValue ? 1 : 0, max ?? 0));
    }

    // ---- comparisons (bool results) ----

    /// <summary>this == other.</summary>
    public Tensor Eq(Tensor other) => Wrap(NativeMethods.sv_compare(Handle, other.Handle, (int)Cmp.Eq));
    /// <summary>this != other.</summary>
    public Tensor Ne(Tensor other) => Wrap(NativeMethods.sv_compare(Handle, other.Handle, (int)Cmp.Ne));
    /// <summary>this &lt; other.</summary>
    public Tensor Lt(Tensor other) => Wrap(NativeMethods.sv_compare(Handle, other.Handle, (int)Cmp.Lt));
    /// <summary>this &lt;= other.</summary>
    public Tensor Le(Tensor other) => Wrap(NativeMethods.sv_compare(Handle, other.Handle, (int)Cmp.Le));
    /// <summary>this &gt; other.</summary>
    public Tensor Gt(Tensor other) => Wrap(NativeMethods.sv_compare(Handle, other.Handle, (int)Cmp.Gt));
    /// <summary>this &gt;= other.</summary>
    public Tensor Ge(Tensor other) => Wrap(NativeMethods.sv_compare(Handle, other.Handle, (int)Cmp.Ge));
    /// <summary>this == scalar.</summary>
    public Tensor Eq(double s) => Wrap(NativeMethods.sv_compare_scalar(Handle, s, (int)Cmp.Eq));
    /// <summary>this != scalar.</summary>
    public Tensor Ne(double s) => Wrap(NativeMethods.sv_compare_scalar(Handle, s, (int)Cmp.Ne));
    /// <summary>this &lt; scalar.</summary>
    public Tensor Lt(double s) => Wrap(NativeMethods.sv_compare_scalar(Handle, s, (int)Cmp.Lt));
    /// <summary>this &lt;= scalar.</summary>
    public Tensor Le(double s) => Wrap(NativeMethods.sv_compare_scalar(Handle, s, (int)Cmp.Le));
    /// <summary>this &gt; scalar.</summary>
    public Tensor Gt(double s) => Wrap(NativeMethods.sv_compare_scalar(Handle, s, (int)Cmp.Gt));
    /// <summary>this &gt;= scalar.</summary>
    public Tensor Ge(double s) => Wrap(NativeMethods.sv_compare_scalar(Handle, s, (int)Cmp.Ge));

    /// <summary>True when both tensors have the same shape and exactly the same values.</summary>
    public bool Equal(Tensor other)
    {
        var r = NativeMethods.sv_equal(Handle, other.Handle);
        if (r < 0) throw NativeError.Current();
        return r == 1;
    }

    /// <summary>True when |this − other| ≤ atol + rtol × |other| everywhere (same shape required).</summary>
    public bool AllClose(Tensor other, double rtol = 1e-5, double atol = 1e-8)
    {
        if (!Shape.AsSpan().SequenceEqual(other.Shape)) return false;
        using var scope = Torch.NewDisposeScope();
        var a = To(DType.Float64);
        var b = other.To(DType.Float64);
        var diff = (a - b).Abs();
        var tol = b.Abs() * rtol + atol;
        return diff.Le(tol).To(DType.Int64).Sum().ItemLong() == NumberOfElements;
    }

    // ---- reductions ----

    /// <summary>Sum of all elements.</summary>
    public Tensor Sum() => Wrap(NativeMethods.sv_sum(Handle));
    /// <summary>Sum over dimensions.</summary>
    public unsafe Tensor Sum(long[] dims, bool keepDim = false)
    {
        fixed (long* d = dims) return Wrap(NativeMethods.sv_sum_dims(Handle, d, dims.Length, keepDim ? 1 : 0));
    }
    /// <summary>Sum over one dimension.</summary>
    public Tensor Sum(long dim, bool keepDim = false) => Sum(new[] { dim }, keepDim);
    /// <summary>Mean of all elements.</summary>
    public Tensor Mean() => Wrap(NativeMethods.sv_mean(Handle));
    /// <summary>Mean over dimensions.</summary>
    public unsafe Tensor Mean(long[] dims, bool keepDim = false)
    {
        fixed (long* d = dims) return Wrap(NativeMethods.sv_mean_dims(Handle, d, dims.Length, keepDim ? 1 : 0));
    }
    /// <summary>Mean over one dimension.</summary>
    public Tensor Mean(long dim, bool keepDim = false) => Mean(new[] { dim }, keepDim);
    /// <summary>Maximum of all elements.</summary>
    public Tensor Max() => Wrap(NativeMethods.sv_max(Handle));
    /// <summary>Minimum of all elements.</summary>
    public Tensor Min() => Wrap(NativeMethods.sv_min(Handle));

    /// <summary>Maximum values and their indices along a dimension.</summary>
    public unsafe (Tensor Values, Tensor Indices) Max(long dim, bool keepDim = false)
    {
        IntPtr v, i;
        NativeError.Check(NativeMethods.sv_max_dim(Handle, dim, keepDim ? 1 : 0, &v, &i));
        return (new Tensor(v), new Tensor(i));
    }

    /// <summary>Minimum values and their indices along a dimension.</summary>
    public unsafe (Tensor Values, Tensor Indices) Min(long dim, bool keepDim = false)
    {
        IntPtr v, i;
        NativeError.Check(NativeMethods.sv_min_dim(Handle, dim, keepDim ? 1 : 0, &v, &i));
        return (new Tensor(v), new Tensor(i));
    }

    /// <summary>Index of the maximum along a dimension.</summary>
    public Tensor Argmax(long dim, bool keepDim = false) => Wrap(NativeMethods.sv_argmax(Handle, dim, keepDim ? 1 : 0));
    /// <summary>Index of the minimum along a dimension.</summary>
    public Tensor Argmin(long dim, bool keepDim = false) => Wrap(NativeMethods.sv_argmin(Handle, dim, keepDim ? 1 : 0));

    /// <summary>The k largest (or smallest) values and their indices along a dimension.</summary>
    public unsafe (Tensor Values, Tensor Indices) TopK(long k, long dim = -1, bool largest = true, bool sorted = true)
    {
        IntPtr v, i;
        NativeError.Check(NativeMethods.sv_topk(Handle, k, dim, largest ? 1 : 0, sorted ? 1 : 0, &v, &i));
        return (new Tensor(v), new Tensor(i));
    }

    /// <summary>Sorted values and the permutation that sorts them.</summary>
    public unsafe (Tensor Values, Tensor Indices) Sort(long dim = -1, bool descending = false)
    {
        IntPtr v, i;
        NativeError.Check(NativeMethods.sv_sort(Handle, dim, descending ? 1 : 0, &v, &i));
        return (new Tensor(v), new Tensor(i));
    }

    /// <summary>Standard deviation over dimensions (all when none given).</summary>
    public unsafe Tensor Std(long[]? dims = null, bool unbiased = true, bool keepDim = false)
    {
        dims ??= Array.Empty<long>();
        fixed (long* d = dims) return Wrap(NativeMethods.sv_std(Handle, d, dims.Length, unbiased ? 1 : 0, keepDim ? 1 : 0));
    }

    /// <summary>Variance over dimensions (all when none given).</summary>
    public unsafe Tensor Var(long[]? dims = null, bool unbiased = true, bool keepDim = false)
    {
        dims ??= Array.Empty<long>();
        fixed (long* d = dims) return Wrap(NativeMethods.sv_var(Handle, d, dims.Length, unbiased ? 1 : 0, keepDim ? 1 : 0));
    }

    /// <summary>p-norm of all elements.</summary>
    public Tensor Norm(double p = 2) => Wrap(NativeMethods.sv_norm(Handle, p));
    /// <summary>Cumulative sum along a dimension.</summary>
    public Tensor Cumsum(long dim) => Wrap(NativeMethods.sv_cumsum(Handle, dim));
    /// <summary>log Σ exp along a dimension.</summary>
    public Tensor LogSumExp(long dim, bool keepDim = false) => Wrap(NativeMethods.sv_logsumexp(Handle, dim, keepDim ? 1 : 0));

    // ---- linear algebra ----

    /// <summary>Matrix product with batching and broadcasting (torch.matmul).</summary>
    public Tensor MatMul(Tensor other) => Wrap(NativeMethods.sv_matmul(Handle, other.Handle));

    // ---- in place (for optimizers; call under Torch.NoGrad() on parameters) ----

    /// <summary>this += alpha × other.</summary>
    public Tensor Add_(Tensor other, double alpha = 1) { NativeError.Check(NativeMethods.sv_add_(Handle, other.Handle, alpha)); return this; }
    /// <summary>this += scalar.</summary>
    public Tensor Add_(double scalar) { NativeError.Check(NativeMethods.sv_add_scalar_(Handle, scalar, 0)); return this; }
    /// <summary>this += integer scalar.</summary>
    public Tensor Add_(long scalar) { NativeError.Check(NativeMethods.sv_add_scalar_(Handle, scalar, 1)); return this; }
    /// <summary>this −= alpha × other.</summary>
    public Tensor Sub_(Tensor other, double alpha = 1) { NativeError.Check(NativeMethods.sv_sub_(Handle, other.Handle, alpha)); return this; }
    /// <summary>this ×= other.</summary>
    public Tensor Mul_(Tensor other) { NativeError.Check(NativeMethods.sv_mul_(Handle, other.Handle)); return this; }
    /// <summary>this ×= scalar.</summary>
    public Tensor Mul_(double scalar) { NativeError.Check(NativeMethods.sv_mul_scalar_(Handle, scalar, 0)); return this; }
    /// <summary>this ×= integer scalar.</summary>
    public Tensor Mul_(long scalar) { NativeError.Check(NativeMethods.sv_mul_scalar_(Handle, scalar, 1)); return this; }
    /// <summary>max(0, x) in place.</summary>
    public Tensor Relu_() { NativeError.Check(NativeMethods.sv_relu_(Handle)); return this; }
    /// <summary>this ÷= other.</summary>
    public Tensor Div_(Tensor other) { NativeError.Check(NativeMethods.sv_div_(Handle, other.Handle)); return this; }
    /// <summary>this ÷= scalar.</summary>
    public Tensor Div_(double scalar) { NativeError.Check(NativeMethods.sv_div_scalar_(Handle, scalar)); return this; }
    /// <summary>this += value × t1 × t2.</summary>
    public Tensor Addcmul_(Tensor t1, Tensor t2, double value = 1) { NativeError.Check(NativeMethods.sv_addcmul_(Handle, t1.Handle, t2.Handle, value)); return this; }
    /// <summary>this += value × t1 / t2.</summary>
    public Tensor Addcdiv_(Tensor t1, Tensor t2, double value = 1) { NativeError.Check(NativeMethods.sv_addcdiv_(Handle, t1.Handle, t2.Handle, value)); return this; }
    /// <summary>Copies values from <paramref name="source"/> (broadcast, converted).</summary>
    public Tensor Copy_(Tensor source) { NativeError.Check(NativeMethods.sv_copy_(Handle, source.Handle)); return this; }
    /// <summary>Sets every element to zero.</summary>
    public Tensor Zero_() { NativeError.Check(NativeMethods.sv_zero_(Handle)); return this; }
    /// <summary>Sets every element to <paramref name="value"/>.</summary>
    public Tensor Fill_(double value) { NativeError.Check(NativeMethods.sv_fill_(Handle, value)); return this; }
    /// <summary>Clamps in place.</summary>
    public Tensor Clamp_(double? min = null, double? max = null)
    {
        if (min is null && max is null) throw new ArgumentException("clamp needs at least one of min and max");
        NativeError.Check(NativeMethods.sv_clamp_(Handle, min.HasValue ? 1 : 0, min ?? 0, max.HasValue ? 1 : 0, max ?? 0));
        return this;
    }
    /// <summary>this += weight × (end − this).</summary>
    public Tensor Lerp_(Tensor end, double weight) { NativeError.Check(NativeMethods.sv_lerp_(Handle, end.Handle, weight)); return this; }
    /// <summary>Square root in place.</summary>
    public Tensor Sqrt_() { NativeError.Check(NativeMethods.sv_sqrt_(Handle)); return this; }
    /// <summary>Element-wise maximum of a and b written into this.</summary>
    public Tensor MaximumInto_(Tensor a, Tensor b) { NativeError.Check(NativeMethods.sv_maximum_out(Handle, a.Handle, b.Handle)); return this; }
}
