using SharpVision.Engine;
using SharpVision.Layers;

namespace SharpVision.Training;

/// <summary>
/// An exponential moving average of a model's weights (Polyak averaging; timm's <c>ModelEma</c>, Keras'
/// <c>use_ema</c>): after every optimizer step <c>shadow ← d·shadow + (1 − d)·weights</c>. The averaged weights
/// generalise better than the last step's and their validation curve is much smoother, which matters when a small
/// validation set picks the best epoch. Every floating-point entry of the state dict is averaged (parameters and
/// BatchNorm running statistics); integer buffers (num_batches_tracked) are left alone.
/// </summary>
/// <remarks>
/// With <see cref="WarmUp"/> the decay used at update n is <c>min(d, (1 + n) / (10 + n))</c>, as in TensorFlow's
/// <c>ExponentialMovingAverage(num_updates)</c>: early updates follow the weights closely, so the average is not
/// dominated by the initial (e.g. random-head) weights in a short run.
/// </remarks>
public sealed class ExponentialMovingAverage : IDisposable
{
    /// <summary>Prefix of the shadow tensors in a training checkpoint's extra tensors.</summary>
    public const string CheckpointPrefix = "ema/";

    private readonly List<(string Name, Tensor Live, Tensor Shadow)> tracked = new();
    private bool disposed;

    /// <summary>Starts the average at the model's current weights.</summary>
    /// <param name="model">The model whose weights are averaged (its tensors are updated in place by training).</param>
    /// <param name="decay">The decay d in (0, 1): 0.999 averages over roughly the last 1,000 steps.</param>
    /// <param name="warmUp">Use min(d, (1 + n) / (10 + n)) at update n.</param>
    /// <exception cref="ArgumentOutOfRangeException">The decay is not in (0, 1).</exception>
    public ExponentialMovingAverage(Module model, double decay, bool warmUp = true)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!IsValidDecay(decay)) throw new ArgumentOutOfRangeException(nameof(decay), decay, "the EMA decay must be in (0, 1), e.g. 0.999");
        Decay = decay;
        WarmUp = warmUp;
        using var noGrad = Torch.NoGrad();
        foreach (var (name, alias) in model.StateDict())
        {
            if (alias.DType.IsFloatingPoint()) tracked.Add((name, alias, alias.Clone().DetachFromDisposeScope()));
            else alias.Dispose();
        }
    }

    /// <summary>Whether <paramref name="decay"/> is a usable decay: strictly between 0 and 1.</summary>
    public static bool IsValidDecay(double decay) => decay > 0 && decay < 1;

    /// <summary>The configured decay.</summary>
    public double Decay { get; }

    /// <summary>Whether the TensorFlow warm-up of the decay is used.</summary>
    public bool WarmUp { get; }

    /// <summary>Updates done so far (restored from checkpoints).</summary>
    public long Updates { get; private set; }

    /// <summary>The decay the next <see cref="Update"/> uses.</summary>
    public double CurrentDecay => WarmUp ? Math.Min(Decay, (1.0 + Updates) / (10.0 + Updates)) : Decay;

    /// <summary>Folds the model's current weights into the average (call after each optimizer step).</summary>
    public void Update()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var weight = 1 - CurrentDecay;
        using var noGrad = Torch.NoGrad();
        foreach (var (_, live, shadow) in tracked) shadow.Lerp_(live, weight);
        Updates++;
    }

    /// <summary>
    /// Puts the averaged weights into the model until the returned scope is disposed, which restores the training
    /// weights exactly (for validation and for saving the averaged model in the middle of training).
    /// </summary>
    public IDisposable Apply()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var backup = new List<Tensor>(tracked.Count);
        using (Torch.NoGrad())
        {
            foreach (var (_, live, shadow) in tracked)
            {
                backup.Add(live.Clone().DetachFromDisposeScope());
                live.Copy_(shadow);
            }
        }
        return new Swap(this, backup);
    }

    /// <summary>Copies the averaged weights into the model for good (the end of training).</summary>
    public void CopyToModel()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        using var noGrad = Torch.NoGrad();
        foreach (var (_, live, shadow) in tracked) live.Copy_(shadow);
    }

    /// <summary>Restarts the average at the model's current weights (update count 0).</summary>
    public void Reset()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        using var noGrad = Torch.NoGrad();
        foreach (var (_, live, shadow) in tracked) shadow.Copy_(live);
        Updates = 0;
    }

    /// <summary>The averaged tensors by state-dict name; owned by this object (do not dispose them).</summary>
    public IReadOnlyDictionary<string, Tensor> Shadow => tracked.ToDictionary(t => t.Name, t => t.Shadow, StringComparer.Ordinal);

    /// <summary>Restores the average from a checkpoint's tensors (names as in <see cref="Shadow"/>) and update count.</summary>
    /// <exception cref="ArgumentException">A name is missing or a shape differs (the checkpoint is for another model).</exception>
    public void Load(IReadOnlyDictionary<string, Tensor> shadow, long updates)
    {
        ArgumentNullException.ThrowIfNull(shadow);
        ObjectDisposedException.ThrowIf(disposed, this);
        var problems = new List<string>();
        foreach (var (name, _, own) in tracked)
        {
            if (!shadow.TryGetValue(name, out var src)) problems.Add($"{name}: missing");
            else if (!src.Shape.SequenceEqual(own.Shape)) problems.Add($"{name}: expected [{string.Join(", ", own.Shape)}], got [{string.Join(", ", src.Shape)}]");
        }
        if (problems.Count > 0)
            throw new ArgumentException("the checkpoint's moving average does not fit this model: " + string.Join("; ", problems.Take(5)) + (problems.Count > 5 ? $" (+{problems.Count - 5} more)" : ""), nameof(shadow));
        using var noGrad = Torch.NoGrad();
        foreach (var (name, _, own) in tracked) own.Copy_(shadow[name]);
        Updates = updates;
    }

    /// <summary>
    /// The shadow tensors stored in a checkpoint's extra tensors (prefix removed), or an empty dictionary when the
    /// checkpoint was written without an average.
    /// </summary>
    public static Dictionary<string, Tensor> FromCheckpoint(TrainingCheckpoint.Loaded loaded)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        return loaded.Extra.Where(kv => kv.Key.StartsWith(CheckpointPrefix, StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key[CheckpointPrefix.Length..], kv => kv.Value, StringComparer.Ordinal);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        foreach (var t in tracked)
        {
            t.Shadow.Dispose();
            t.Live.Dispose(); // our alias handle; the model keeps its own
        }
        tracked.Clear();
    }

    private sealed class Swap(ExponentialMovingAverage owner, List<Tensor> backup) : IDisposable
    {
        private bool done;

        public void Dispose()
        {
            if (done) return;
            done = true;
            using (Torch.NoGrad())
            {
                for (var i = 0; i < backup.Count; i++)
                {
                    if (!owner.disposed) owner.tracked[i].Live.Copy_(backup[i]);
                    backup[i].Dispose();
                }
            }
        }
    }
}
