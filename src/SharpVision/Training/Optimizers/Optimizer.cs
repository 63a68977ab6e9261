using SharpVision.Engine;

namespace SharpVision.Training.Optimizers;

/// <summary>
/// Base of the optimizers. Updates follow torch.optim's single-tensor implementations exactly (same formulas, same
/// order of floating-point operations), so results can be compared with PyTorch. Parameters without a gradient
/// (frozen, or unused in the graph) are skipped. State is kept per parameter name, so it survives checkpoints.
/// </summary>
public abstract class Optimizer : IDisposable
{
    private readonly Dictionary<string, Dictionary<string, Tensor>> state = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> steps = new(StringComparer.Ordinal);

    /// <summary>Creates the optimizer over parameter groups.</summary>
    protected Optimizer(IEnumerable<ParameterGroup> groups, double learningRate, double weightDecay)
    {
        Groups = groups.ToList();
        if (Groups.Count == 0) throw new ArgumentException("an optimizer needs at least one parameter group");
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in Groups.SelectMany(g => g.Parameters))
            if (!names.Add(p.Name)) throw new ArgumentException($"parameter '{p.Name}' appears twice in the optimizer's groups");
        if (learningRate < 0 || double.IsNaN(learningRate)) throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "learning rate must be ≥ 0");
        if (weightDecay < 0) throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "weight decay must be ≥ 0");
        LearningRate = learningRate;
        WeightDecay = weightDecay;
    }

    /// <summary>The parameter groups.</summary>
    public IReadOnlyList<ParameterGroup> Groups { get; }

    /// <summary>The base learning rate (schedules set it every step); each group uses it × its scale.</summary>
    public double LearningRate { get; set; }

    /// <summary>Default L2 weight decay (decoupled for AdamW).</summary>
    public double WeightDecay { get; }

    /// <summary>The optimizer's name in checkpoints and logs ("adam", "sgd", ...).</summary>
    public abstract string Name { get; }

    /// <summary>Applies one update to every parameter that has a gradient.</summary>
    public void Step()
    {
        using var noGrad = Torch.NoGrad();
        var updates = new List<ParameterUpdate>();
        foreach (var group in Groups)
        {
            var lr = LearningRate * group.LearningRateScale;
            var wd = group.WeightDecay ?? WeightDecay;
            updates.Clear();
            try
            {
                foreach (var p in group.Parameters)
                {
                    if (!p.Tensor.RequiresGrad) continue;
                    var grad = p.Tensor.Grad;
                    if (grad is null) continue;
                    var step = steps.TryGetValue(p.Name, out var s) ? s + 1 : 1;
                    steps[p.Name] = step;
                    if (!state.TryGetValue(p.Name, out var st))
                    {
                        st = new Dictionary<string, Tensor>(StringComparer.Ordinal);
                        state[p.Name] = st;
                    }
                    updates.Add(new ParameterUpdate(p.Tensor, grad, st, step));
                }
                if (updates.Count > 0) UpdateGroup(updates, lr, wd);
            }
            finally
            {
                foreach (var u in updates) u.Gradient.Dispose();
            }
        }
    }

    /// <summary>
    /// Updates one group's parameters in place (called under no-grad). The default calls <see cref="Update"/> for each
    /// parameter inside its own dispose scope; an optimizer with a fused implementation updates them all at once.
    /// </summary>
    /// <param name="updates">The group's parameters that have a gradient, in the group's order.</param>
    /// <param name="lr">Learning rate for this group.</param>
    /// <param name="weightDecay">Weight decay for this group.</param>
    protected virtual void UpdateGroup(IReadOnlyList<ParameterUpdate> updates, double lr, double weightDecay)
    {
        foreach (var u in updates)
        {
            using var scope = Torch.NewDisposeScope();
            Update(u.Parameter, u.Gradient, u.State, u.Step, lr, weightDecay);
        }
    }

    /// <summary>Updates one parameter in place (called under no-grad inside a dispose scope).</summary>
    /// <param name="param">The parameter.</param>
    /// <param name="grad">Its gradient.</param>
    /// <param name="state">Per-parameter state buffers; new buffers must be detached from the scope.</param>
    /// <param name="step">1 for the first update of this parameter.</param>
    /// <param name="lr">Learning rate for this group.</param>
    /// <param name="weightDecay">Weight decay for this group.</param>
    protected abstract void Update(Tensor param, Tensor grad, Dictionary<string, Tensor> state, long step, double lr, double weightDecay);

    /// <summary>Creates a zero state buffer like <paramref name="like"/>, owned by the optimizer.</summary>
    protected static Tensor NewBuffer(Tensor like) => like.ZerosLike().DetachFromDisposeScope();

    /// <summary>Drops all gradients (set to none, as torch's zero_grad(set_to_none=True)).</summary>
    public void ZeroGrad()
    {
        foreach (var p in Groups.SelectMany(g => g.Parameters)) p.Tensor.ZeroGrad();
    }

    /// <summary>The optimizer's state as named tensors ("state.{param}.{buffer}", "step.{param}") for checkpoints.</summary>
    public Dictionary<string, Tensor> StateDict()
    {
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, buffers) in state)
            foreach (var (key, t) in buffers)
                result[$"state.{name}.{key}"] = t.Alias().DetachFromDisposeScope();
        foreach (var (name, step) in steps)
            result[$"step.{name}"] = Tensor.FromArray(new[] { step }).DetachFromDisposeScope();
        return result;
    }

    /// <summary>Restores state saved by <see cref="StateDict"/> (values are copied; unknown parameters are an error).</summary>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> saved)
    {
        var known = Groups.SelectMany(g => g.Parameters).ToDictionary(p => p.Name, p => p.Tensor, StringComparer.Ordinal);
        ClearState();
        foreach (var (key, t) in saved)
        {
            if (key.StartsWith("step.", StringComparison.Ordinal))
            {
                var pname = key[5..];
                if (!known.ContainsKey(pname)) throw new InvalidDataException($"optimizer state names unknown parameter '{pname}'");
                steps[pname] = t.ItemLong();
            }
            else if (key.StartsWith("state.", StringComparison.Ordinal))
            {
                var rest = key[6..];
                var dot = rest.LastIndexOf('.');
                if (dot <= 0) throw new InvalidDataException($"malformed optimizer state key '{key}'");
                var pname = rest[..dot];
                if (!known.TryGetValue(pname, out var param)) throw new InvalidDataException($"optimizer state names unknown parameter '{pname}'");
                if (!state.TryGetValue(pname, out var st)) state[pname] = st = new Dictionary<string, Tensor>(StringComparer.Ordinal);
                st[rest[(dot + 1)..]] = t.To(param.Device).DetachFromDisposeScope();
            }
            else throw new InvalidDataException($"malformed optimizer state key '{key}'");
        }
    }

    private void ClearState()
    {
        foreach (var t in state.Values.SelectMany(b => b.Values)) t.Dispose();
        state.Clear();
        steps.Clear();
    }

    /// <summary>Frees the state buffers.</summary>
    public void Dispose()
    {
        ClearState();
        GC.SuppressFinalize(this);
    }
}
