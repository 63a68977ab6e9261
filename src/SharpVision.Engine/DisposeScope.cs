namespace SharpVision.Engine;

/// <summary>
/// Frees every tensor created on this thread while the scope is open, unless it was moved out
/// (<see cref="MoveToOuter"/>, <see cref="Tensor.MoveToOuterDisposeScope"/>) or detached
/// (<see cref="Tensor.DetachFromDisposeScope"/>). Scopes nest; create them with <see cref="Torch.NewDisposeScope"/>.
/// </summary>
/// <example><code>
/// using (Torch.NewDisposeScope()) { var loss = model.Forward(x).CrossEntropy(y); loss.Backward(); } // temporaries freed here
/// </code></example>
public sealed class DisposeScope : IDisposable
{
    [ThreadStatic] private static DisposeScope? current;

    private readonly List<Tensor> tensors = new();
    private bool disposed;

    internal DisposeScope()
    {
        Parent = current;
        current = this;
    }

    /// <summary>The scope that was current when this one was opened.</summary>
    public DisposeScope? Parent { get; }

    /// <summary>The innermost open scope on this thread, if any.</summary>
    public static DisposeScope? Current => current;

    /// <summary>Number of tensors this scope will free.</summary>
    public int Count
    {
        get
        {
            var n = 0;
            foreach (var t in tensors) if (ReferenceEquals(t.Scope, this) && !t.IsDisposed) n++;
            return n;
        }
    }

    internal void Register(Tensor tensor)
    {
        tensor.Scope = this;
        tensors.Add(tensor);
    }

    /// <summary>Moves a tensor to the enclosing scope (or out of all scopes when there is none) and returns it.</summary>
    public Tensor MoveToOuter(Tensor tensor)
    {
        if (!ReferenceEquals(tensor.Scope, this)) return tensor;
        tensor.Scope = null;
        Parent?.Register(tensor);
        return tensor;
    }

    /// <summary>Frees every tensor still owned by this scope and makes the parent scope current again.</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        foreach (var t in tensors)
        {
            if (ReferenceEquals(t.Scope, this)) t.Dispose();
        }
        tensors.Clear();
        // Disposing an outer scope while an inner one is still open (a missed using) pops both.
        for (var s = current; s is not null; s = s.Parent)
        {
            if (!ReferenceEquals(s, this)) continue;
            current = Parent;
            break;
        }
    }
}
