using SharpVision.Engine.Native;

namespace SharpVision.Engine;

public sealed partial class Tensor
{
    /// <summary>Converts to another dtype (returns a new tensor even when the dtype is the same).</summary>
    public Tensor To(DType dtype) => Wrap(NativeMethods.sv_to_dtype(Handle, (int)dtype));

    /// <summary>Copies to another device.</summary>
    public Tensor To(Device device, bool nonBlocking = false) =>
        Wrap(NativeMethods.sv_to_device(Handle, (int)device.Type, device.Index, nonBlocking ? 1 : 0));

    /// <summary>A copy with its own storage (the copy stays in the autograd graph).</summary>
    public Tensor Clone() => Wrap(NativeMethods.sv_clone(Handle));

    /// <summary>A view that shares storage but is cut from the autograd graph.</summary>
    public Tensor Detach() => Wrap(NativeMethods.sv_detach(Handle));

    /// <summary>A second handle to the same tensor (same storage, same autograd identity).</summary>
    public Tensor Alias() => Wrap(NativeMethods.sv_shallow_copy(Handle));

    /// <summary>A contiguous tensor with the same values.</summary>
    public Tensor Contiguous() => Wrap(NativeMethods.sv_contiguous(Handle));

    /// <summary>Same values in a new shape (one dimension may be -1).</summary>
    public unsafe Tensor Reshape(params long[] shape)
    {
        fixed (long* s = shape) return Wrap(NativeMethods.sv_reshape(Handle, s, shape.Length));
    }

    /// <summary>A view with a new shape; the tensor must be contiguous enough.</summary>
    public unsafe Tensor View(params long[] shape)
    {
        fixed (long* s = shape) return Wrap(NativeMethods.sv_view(Handle, s, shape.Length));
    }

    /// <summary>Reorders the dimensions.</summary>
    public unsafe Tensor Permute(params long[] dims)
    {
        fixed (long* d = dims) return Wrap(NativeMethods.sv_permute(Handle, d, dims.Length));
    }

    /// <summary>Swaps two dimensions.</summary>
    public Tensor Transpose(long dim0, long dim1) => Wrap(NativeMethods.sv_transpose(Handle, dim0, dim1));

    /// <summary>Transpose of a 2-D tensor.</summary>
    public Tensor T() => Transpose(0, 1);

    /// <summary>Broadcasts size-1 dimensions to the given shape without copying (-1 keeps a size).</summary>
    public unsafe Tensor Expand(params long[] shape)
    {
        fixed (long* s = shape) return Wrap(NativeMethods.sv_expand(Handle, s, shape.Length));
    }

    /// <summary>Removes every size-1 dimension.</summary>
    public Tensor Squeeze() => Wrap(NativeMethods.sv_squeeze(Handle));

    /// <summary>Removes dimension <paramref name="dim"/> if it has size 1.</summary>
    public Tensor Squeeze(long dim) => Wrap(NativeMethods.sv_squeeze_dim(Handle, dim));

    /// <summary>Inserts a size-1 dimension at <paramref name="dim"/>.</summary>
    public Tensor Unsqueeze(long dim) => Wrap(NativeMethods.sv_unsqueeze(Handle, dim));

    /// <summary>Flattens dimensions start..end into one.</summary>
    public Tensor Flatten(long startDim = 0, long endDim = -1) => Wrap(NativeMethods.sv_flatten(Handle, startDim, endDim));

    /// <summary>The slice [start, start+length) of dimension <paramref name="dim"/> (a view).</summary>
    public Tensor Narrow(long dim, long start, long length) => Wrap(NativeMethods.sv_narrow(Handle, dim, start, length));

    /// <summary>The slice [start, end) with a step along <paramref name="dim"/> (a view).</summary>
    public Tensor Slice(long dim, long start, long end, long step = 1) => Wrap(NativeMethods.sv_slice(Handle, dim, start, end, step));

    /// <summary>Index <paramref name="index"/> of dimension <paramref name="dim"/>, removing that dimension (a view).</summary>
    public Tensor Select(long dim, long index) => Wrap(NativeMethods.sv_select(Handle, dim, index));

    /// <summary>Rows (along <paramref name="dim"/>) picked by an int64 index tensor.</summary>
    public Tensor IndexSelect(long dim, Tensor index) => Wrap(NativeMethods.sv_index_select(Handle, dim, index.Handle));

    /// <summary>
    /// A copy of this tensor with the rows (along <paramref name="dim"/>) at the int64 positions in
    /// <paramref name="index"/> replaced by the rows of <paramref name="source"/> (out-of-place <c>index_copy</c>).
    /// </summary>
    public Tensor IndexCopy(long dim, Tensor index, Tensor source) =>
        Wrap(NativeMethods.sv_index_copy(Handle, dim, index.Handle, source.Handle));

    /// <summary>Values gathered along <paramref name="dim"/> at the positions in <paramref name="index"/>.</summary>
    public Tensor Gather(long dim, Tensor index) => Wrap(NativeMethods.sv_gather(Handle, dim, index.Handle));

    /// <summary>The elements where <paramref name="mask"/> is true, as a 1-D tensor.</summary>
    public Tensor MaskedSelect(Tensor mask) => Wrap(NativeMethods.sv_masked_select(Handle, mask.Handle));

    /// <summary>A copy with <paramref name="value"/> where <paramref name="mask"/> is true.</summary>
    public Tensor MaskedFill(Tensor mask, double value) => Wrap(NativeMethods.sv_masked_fill(Handle, mask.Handle, value));

    /// <summary>A copy with <paramref name="source"/> values written at <paramref name="index"/> along <paramref name="dim"/>.</summary>
    public Tensor Scatter(long dim, Tensor index, Tensor source) => Wrap(NativeMethods.sv_scatter(Handle, dim, index.Handle, source.Handle));

    /// <summary>Concatenates along an existing dimension.</summary>
    public static unsafe Tensor Cat(IReadOnlyList<Tensor> tensors, long dim = 0)
    {
        if (tensors.Count == 0) throw new ArgumentException("cat needs at least one tensor", nameof(tensors));
        var h = Handles(tensors);
        fixed (IntPtr* p = h) return Wrap(NativeMethods.sv_cat(p, h.Length, dim));
    }

    /// <summary>Stacks along a new dimension.</summary>
    public static unsafe Tensor Stack(IReadOnlyList<Tensor> tensors, long dim = 0)
    {
        if (tensors.Count == 0) throw new ArgumentException("stack needs at least one tensor", nameof(tensors));
        var h = Handles(tensors);
        fixed (IntPtr* p = h) return Wrap(NativeMethods.sv_stack(p, h.Length, dim));
    }

    /// <summary>Reverses the order along the given dimensions.</summary>
    public unsafe Tensor Flip(params long[] dims)
    {
        fixed (long* d = dims) return Wrap(NativeMethods.sv_flip(Handle, d, dims.Length));
    }

    /// <summary>Rolls elements along dimensions (wrapping around).</summary>
    public unsafe Tensor Roll(long[] shifts, long[] dims)
    {
        if (shifts.Length != dims.Length) throw new ArgumentException("roll needs as many shifts as dims");
        fixed (long* s = shifts)
        fixed (long* d = dims)
            return Wrap(NativeMethods.sv_roll(Handle, s, d, dims.Length));
    }

    /// <summary>Tiles the tensor.</summary>
    public unsafe Tensor Repeat(params long[] repeats)
    {
        fixed (long* r = repeats) return Wrap(NativeMethods.sv_repeat(Handle, r, repeats.Length));
    }

    /// <summary>One-hot encoding of int64 class indices (int64 result).</summary>
    public Tensor OneHot(long numClasses) => Wrap(NativeMethods.sv_one_hot(Handle, numClasses));

    /// <summary>Indices of the non-zero elements, one row per element.</summary>
    public Tensor Nonzero() => Wrap(NativeMethods.sv_nonzero(Handle));
}
