using SharpVision.Engine.Native;

namespace SharpVision.Engine;

public sealed partial class Tensor
{
    /// <summary>
    /// Computes gradients of this tensor with respect to every leaf that requires grad, accumulating into their
    /// <see cref="Grad"/>. A non-scalar tensor needs the incoming <paramref name="gradient"/>.
    /// </summary>
    public void Backward(Tensor? gradient = null, bool retainGraph = false) =>
        NativeError.Check(NativeMethods.sv_backward(Handle, HandleOrZero(gradient), retainGraph ? 1 : 0));

    /// <summary>The accumulated gradient, or null when none was computed. Each call returns a new handle: dispose it.</summary>
    public unsafe Tensor? Grad
    {
        get
        {
            IntPtr g;
            NativeError.Check(NativeMethods.sv_grad(Handle, &g));
            return g == IntPtr.Zero ? null : new Tensor(g);
        }
    }

    /// <summary>Drops the gradient (like optimizer.zero_grad(set_to_none=True)).</summary>
    public void ZeroGrad() => NativeError.Check(NativeMethods.sv_set_grad(Handle, IntPtr.Zero));

    /// <summary>Replaces the gradient (used by distributed all-reduce and gradient clipping).</summary>
    public void SetGrad(Tensor? gradient) => NativeError.Check(NativeMethods.sv_set_grad(Handle, HandleOrZero(gradient)));

    /// <summary>Keeps the gradient of this non-leaf tensor after backward (Grad-CAM needs activations' gradients).</summary>
    public Tensor RetainGrad()
    {
        NativeError.Check(NativeMethods.sv_retain_grad(Handle));
        return this;
    }

    /// <summary>Sets <see cref="RequiresGrad"/> and returns this tensor.</summary>
    public Tensor RequiresGrad_(bool on = true)
    {
        RequiresGrad = on;
        return this;
    }
}
