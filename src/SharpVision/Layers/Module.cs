using System.Text;
using SharpVision.Engine;

namespace SharpVision.Layers;

/// <summary>
/// Base class of every layer and model: a tree of named children with parameters and buffers, PyTorch-style
/// (torch.nn.Module). Names follow torchvision ("features.0.0.weight") so state dicts are interchangeable.
/// </summary>
/// <remarks>
/// Ownership: parameters and buffers are detached from dispose scopes and freed by <see cref="Dispose"/>.
/// <see cref="Forward"/> always returns a NEW tensor handle that the caller owns (never the input handle itself)
/// and frees the intermediates it created; disposing an intermediate's C# handle does not break autograd because
/// libtorch's graph holds its own references.
/// </remarks>
public abstract class Module : IDisposable
{
    private readonly List<(string Name, Module Module)> children = new();
    private readonly List<(string Name, Parameter Parameter)> parameters = new();
    private readonly List<BufferSlot> buffers = new();
    private readonly List<Action<Module, Tensor>> hooks = new();
    private bool disposed;

    /// <summary>Creates a module whose display name is <paramref name="defaultName"/> unless <see cref="Name"/> is set.</summary>
    protected Module(string defaultName)
    {
        Name = defaultName;
    }

    /// <summary>
    /// Display name, type-like by default (e.g. "conv2d", "dense"); used by summaries and graph models. It is not
    /// the state-dict path: paths come from the names children are registered under.
    /// </summary>
    public string Name { get; init; }

    /// <summary>True in training mode (the default), false after <see cref="Eval"/>.</summary>
    public bool Training { get; private set; } = true;

    /// <summary>
    /// True after <see cref="Freeze"/> on this module or an ancestor: parameters do not require grad and BatchNorm
    /// layers use their running statistics even in training mode (Keras semantics for trainable=False).
    /// </summary>
    public bool IsFrozen { get; private set; }

    /// <summary>Computes the output for <paramref name="input"/>. Returns a new tensor the caller owns.</summary>
    public abstract Tensor Forward(Tensor input);

    /// <summary>Runs <see cref="Forward"/> then the forward hooks. Containers call their children through this.</summary>
    public Tensor Call(Tensor input)
    {
        ThrowIfDisposed();
        var output = Forward(input);
        RunForwardHooks(output);
        return output;
    }

    /// <summary>
    /// Registers a hook that sees every output of this module (after <see cref="Forward"/>). The tensor belongs to the
    /// forward pass: call <see cref="Tensor.Alias"/> to keep it (e.g. for Grad-CAM, with RetainGrad). Dispose the
    /// returned handle to remove the hook.
    /// </summary>
    public IDisposable RegisterForwardHook(Action<Module, Tensor> hook)
    {
        ArgumentNullException.ThrowIfNull(hook);
        hooks.Add(hook);
        return new HookHandle(() => hooks.Remove(hook));
    }

    /// <summary>Invokes the forward hooks on <paramref name="output"/> (for modules with their own call paths).</summary>
    protected void RunForwardHooks(Tensor output)
    {
        if (hooks.Count == 0) return;
        foreach (var h in hooks.ToArray()) h(this, output);
    }

    // ---- modes ----

    /// <summary>Sets training mode on this module and every descendant.</summary>
    public void Train(bool on = true)
    {
        foreach (var (_, m) in NamedModules()) m.Training = on;
    }

    /// <summary>Sets the training flag of this module only (to restore saved modes, e.g. after a summary pass).</summary>
    internal void SetTrainingFlag(bool on) => Training = on;

    /// <summary>Sets evaluation mode (dropout off, BatchNorm uses running statistics) recursively.</summary>
    public void Eval() => Train(false);

    /// <summary>Freezes every parameter below (RequiresGrad = false) and keeps BatchNorm layers in inference mode.</summary>
    public void Freeze() => SetFrozen(true);

    /// <summary>Undoes <see cref="Freeze"/> for this module and everything below it.</summary>
    public void Unfreeze() => SetFrozen(false);

    private void SetFrozen(bool frozen)
    {
        foreach (var (_, m) in NamedModules())
        {
            m.IsFrozen = frozen;
            foreach (var (_, p) in m.parameters) p.RequiresGrad = !frozen;
        }
    }

    // ---- registration (for subclasses) ----

    /// <summary>Adds a child under <paramref name="name"/> (one path segment, unique) and returns it.</summary>
    protected T RegisterModule<T>(string name, T module) where T : Module
    {
        ArgumentNullException.ThrowIfNull(module);
        CheckNewName(name);
        children.Add((name, module));
        return module;
    }

    /// <summary>Replaces the child registered under <paramref name="name"/>, disposing the old one.</summary>
    protected internal void ReplaceModule(string name, Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        var i = children.FindIndex(c => c.Name == name);
        if (i < 0) throw new ArgumentException($"module '{Name}' has no child named '{name}' (children: {string.Join(", ", children.Select(c => c.Name))})", nameof(name));
        var old = children[i].Module;
        children[i] = (name, module);
        if (!ReferenceEquals(old, module)) old.Dispose();
    }

    /// <summary>Registers a trainable tensor; the module takes ownership (it is detached from dispose scopes).</summary>
    protected Parameter RegisterParameter(string name, Tensor value, bool requiresGrad = true)
    {
        CheckNewName(name);
        var p = new Parameter(value, requiresGrad && !IsFrozen);
        parameters.Add((name, p));
        return p;
    }

    /// <summary>Registers a non-trainable state tensor saved in the state dict (e.g. BatchNorm running_mean).</summary>
    protected void RegisterBuffer(string name, Tensor value)
    {
        ArgumentNullException.ThrowIfNull(value);
        CheckNewName(name);
        buffers.Add(new BufferSlot(name, value.DetachFromDisposeScope()));
    }

    /// <summary>The buffer registered under <paramref name="name"/> (owned by the module: do not dispose).</summary>
    protected Tensor Buffer(string name)
    {
        foreach (var b in buffers) if (b.Name == name) return b.Value;
        throw new KeyNotFoundException($"module '{Name}' has no buffer '{name}'");
    }

    private void CheckNewName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Contains('.'))
            throw new ArgumentException($"'{name}' is not a valid member name: it must be non-empty and contain no '.'", nameof(name));
        if (children.Any(c => c.Name == name) || parameters.Any(p => p.Name == name) || buffers.Any(b => b.Name == name))
            throw new ArgumentException($"module '{Name}' already has a member named '{name}'", nameof(name));
    }

    // ---- traversal ----

    /// <summary>The direct children in registration order.</summary>
    public IEnumerable<(string Name, Module Module)> NamedChildren() => children.ToArray();

    /// <summary>This module ("") and all descendants, pre-order, with dotted paths; a shared module appears once.</summary>
    public IEnumerable<(string Name, Module Module)> NamedModules()
    {
        var seen = new HashSet<Module>(ReferenceEqualityComparer.Instance);
        var result = new List<(string, Module)>();
        Collect(this, "", seen, result);
        return result;

        static void Collect(Module m, string prefix, HashSet<Module> seen, List<(string, Module)> result)
        {
            if (!seen.Add(m)) return;
            result.Add((prefix, m));
            foreach (var (n, c) in m.children) Collect(c, prefix.Length == 0 ? n : prefix + "." + n, seen, result);
        }
    }

    /// <summary>Every parameter below this module with its dotted name, e.g. "features.0.0.weight".</summary>
    public IEnumerable<(string Name, Parameter Parameter)> NamedParameters()
    {
        var seen = new HashSet<Parameter>(ReferenceEqualityComparer.Instance);
        foreach (var (path, m) in NamedModules())
            foreach (var (n, p) in m.parameters)
                if (seen.Add(p)) yield return (Join(path, n), p);
    }

    /// <summary>Every parameter below this module.</summary>
    public IEnumerable<Parameter> Parameters() => NamedParameters().Select(p => p.Parameter);

    /// <summary>Every buffer below this module (BatchNorm running_mean, running_var, num_batches_tracked).</summary>
    public IEnumerable<(string Name, Tensor Buffer)> NamedBuffers()
    {
        foreach (var (path, m) in NamedModules())
            foreach (var b in m.buffers) yield return (Join(path, b.Name), b.Value);
    }

    /// <summary>This module's own parameters (not its children's).</summary>
    public IEnumerable<(string Name, Parameter Parameter)> DirectParameters() => parameters.ToArray();

    /// <summary>Number of scalars in the parameters below (optionally only the trainable ones).</summary>
    public long CountParameters(bool trainableOnly = false) =>
        Parameters().Where(p => !trainableOnly || p.RequiresGrad).Sum(p => p.NumberOfElements);

    /// <summary>Drops the gradients of every parameter below.</summary>
    public void ZeroGrad()
    {
        foreach (var p in Parameters()) p.ZeroGrad();
    }

    /// <summary>The descendant at a dotted path, e.g. model["features.13"] or model["layer4.1.conv2"]; "" is this module.</summary>
    public Module this[string path]
    {
        get
        {
            ArgumentNullException.ThrowIfNull(path);
            var m = this;
            if (path.Length == 0) return m;
            var walked = "";
            foreach (var part in path.Split('.'))
            {
                var found = m.children.FirstOrDefault(c => c.Name == part).Module;
                if (found is null)
                    throw new KeyNotFoundException($"no module '{path}': '{(walked.Length == 0 ? "<root>" : walked)}' has children [{string.Join(", ", m.children.Select(c => c.Name))}]");
                walked = Join(walked, part);
                m = found;
            }
            return m;
        }
    }

    /// <summary>True when a descendant exists at <paramref name="path"/>.</summary>
    public bool HasModule(string path)
    {
        try { _ = this[path]; return true; }
        catch (KeyNotFoundException) { return false; }
    }

    // ---- state dict ----

    /// <summary>
    /// Parameters and buffers by torchvision name. The values are new handles aliasing the module's storage (no copy);
    /// the caller may dispose them (the module keeps its own).
    /// </summary>
    public Dictionary<string, Tensor> StateDict()
    {
        var d = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (n, p) in NamedParameters()) d[n] = p.Value.Detach();
        foreach (var (n, b) in NamedBuffers()) d[n] = b.Alias();
        return d;
    }

    /// <summary>
    /// Copies values in by name. strict: any missing, unexpected or mis-shaped name throws an
    /// <see cref="ArgumentException"/> listing them all, before anything is copied. Non-strict: loads what matches and
    /// reports the rest. A missing num_batches_tracked is accepted in both modes (as PyTorch does).
    /// </summary>
    public StateDictLoadReport LoadStateDict(IReadOnlyDictionary<string, Tensor> state, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(state);
        var own = new List<(string Name, Tensor Target)>();
        foreach (var (n, p) in NamedParameters()) own.Add((n, p.Value));
        foreach (var (n, b) in NamedBuffers()) own.Add((n, b));
        var ownNames = new HashSet<string>(own.Select(o => o.Name), StringComparer.Ordinal);

        var loadable = new List<(string Name, Tensor Target, Tensor Source)>();
        var missing = new List<string>();
        var mismatched = new List<string>();
        foreach (var (name, target) in own)
        {
            if (!state.TryGetValue(name, out var src))
            {
                if (!name.EndsWith("num_batches_tracked", StringComparison.Ordinal)) missing.Add(name);
                continue;
            }
            var ts = target.Shape;
            var ss = src.Shape;
            if (!ts.SequenceEqual(ss))
            {
                // PyTorch accepts a 1-element tensor for a scalar buffer (old num_batches_tracked files).
                var scalarOk = ts.Length == 0 && src.NumberOfElements == 1;
                if (!scalarOk)
                {
                    mismatched.Add($"{name}: expected [{string.Join(", ", ts)}], got [{string.Join(", ", ss)}]");
                    continue;
                }
            }
            loadable.Add((name, target, src));
        }
        var unexpected = state.Keys.Where(k => !ownNames.Contains(k)).OrderBy(k => k, StringComparer.Ordinal).ToList();
        var report = new StateDictLoadReport(loadable.Select(l => l.Name).ToList(), missing, unexpected, mismatched);
        if (strict && !report.IsComplete)
            throw new ArgumentException($"state dict does not match {GetType().Name}:{Environment.NewLine}{report.Describe()}", nameof(state));

        using (Torch.NoGrad())
        {
            foreach (var (_, target, src) in loadable)
            {
                if (target.Dim == 0 && src.Dim != 0)
                {
                    using var r = src.Reshape();
                    target.Copy_(r);
                }
                else target.Copy_(src);
            }
        }
        return report;
    }

    // ---- devices and lifetime ----

    /// <summary>Moves every parameter and buffer to <paramref name="device"/> (gradients are dropped).</summary>
    public void To(Device device)
    {
        foreach (var (_, m) in NamedModules())
        {
            foreach (var (_, p) in m.parameters)
            {
                if (p.Value.Device == device) continue;
                using var detached = p.Value.Detach();
                p.Replace(detached.To(device));
            }
            foreach (var b in m.buffers)
            {
                if (b.Value.Device == device) continue;
                var old = b.Value;
                b.Value = old.To(device).DetachFromDisposeScope();
                old.Dispose();
            }
        }
    }

    /// <summary>Frees every parameter and buffer of this module and its children.</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        foreach (var (_, c) in children) c.Dispose();
        foreach (var (_, p) in parameters) p.Dispose();
        foreach (var b in buffers) b.Value.Dispose();
        hooks.Clear();
        GC.SuppressFinalize(this);
    }

    /// <summary>Throws when the module was disposed.</summary>
    protected void ThrowIfDisposed()
    {
        if (disposed) throw new ObjectDisposedException(GetType().Name, $"module '{Name}' was disposed");
    }

    /// <summary>Extra text shown after the type in <see cref="ToString"/>, e.g. "3, 64, kernel_size=(7, 7)".</summary>
    protected virtual string ExtraRepr => "";

    /// <summary>A PyTorch-like multi-line description of the module tree.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        Print(this, sb, 0);
        return sb.ToString().TrimEnd();

        static void Print(Module m, StringBuilder sb, int indent)
        {
            sb.Append(m.GetType().Name).Append('(').Append(m.ExtraRepr);
            if (m.children.Count == 0) { sb.AppendLine(")"); return; }
            sb.AppendLine();
            foreach (var (n, c) in m.children)
            {
                sb.Append(' ', indent + 2).Append('(').Append(n).Append("): ");
                Print(c, sb, indent + 2);
            }
            sb.Append(' ', indent).AppendLine(")");
        }
    }

    private static string Join(string prefix, string name) => prefix.Length == 0 ? name : prefix + "." + name;

    private sealed class BufferSlot(string name, Tensor value)
    {
        public string Name { get; } = name;
        public Tensor Value { get; set; } = value;
    }

    private sealed class HookHandle(Action remove) : IDisposable
    {
        private Action? remove = remove;

        public void Dispose()
        {
            remove?.Invoke();
            remove = null;
        }
    }
}
