using SharpVision.Engine;

namespace SharpVision.Layers;

/// <summary>
/// A trainable tensor owned by a <see cref="Module"/>. The value is a leaf tensor that lives as long as the module
/// (it is detached from every dispose scope); <see cref="RequiresGrad"/> is false while the parameter is frozen.
/// </summary>
public sealed class Parameter
{
    private Tensor tensor;

    /// <summary>Wraps <paramref name="value"/> (which becomes owned by the parameter) and sets requires_grad.</summary>
    public Parameter(Tensor value, bool requiresGrad = true)
    {
        ArgumentNullException.ThrowIfNull(value);
        tensor = value.DetachFromDisposeScope();
        tensor.RequiresGrad = requiresGrad;
    }

    /// <summary>The leaf tensor (requires_grad = <see cref="RequiresGrad"/>). Do not dispose it.</summary>
    public Tensor Value => tensor;

    /// <summary>Whether autograd computes a gradient for this parameter (false when frozen).</summary>
    public bool RequiresGrad
    {
        get => tensor.RequiresGrad;
        set
        {
            // A frozen parameter must not keep a stale gradient that an optimizer would still apply.
            if (!value) tensor.ZeroGrad();
            tensor.RequiresGrad = value;
        }
    }

    /// <summary>The accumulated gradient as a new handle (the caller disposes it), or null when there is none.</summary>
    public Tensor? Grad => tensor.Grad;

    /// <summary>Shape of the value.</summary>
    public long[] Shape => tensor.Shape;

    /// <summary>Number of scalars in the value.</summary>
    public long NumberOfElements => tensor.NumberOfElements;

    /// <summary>Drops the accumulated gradient (set_to_none semantics).</summary>
    public void ZeroGrad() => tensor.ZeroGrad();

    /// <summary>Replaces the value (device moves); the old tensor is disposed.</summary>
    internal void Replace(Tensor next)
    {
        var requiresGrad = tensor.RequiresGrad;
        var old = tensor;
        tensor = next.DetachFromDisposeScope();
        if (tensor.RequiresGrad != requiresGrad) tensor.RequiresGrad = requiresGrad;
        if (!ReferenceEquals(old, tensor)) old.Dispose();
    }

    internal void Dispose() => tensor.Dispose();

    /// <inheritdoc />
    public override string ToString() => $"Parameter[{string.Join(", ", Shape)}]{(RequiresGrad ? "" : " frozen")}";
}
