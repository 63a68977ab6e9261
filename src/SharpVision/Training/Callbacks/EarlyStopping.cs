using System.Globalization;
using SharpVision.Engine;

namespace SharpVision.Training.Callbacks;

/// <summary>
/// Stops training when the monitored metric has not improved for <see cref="Patience"/> epochs (Keras EarlyStopping),
/// optionally restoring the best weights at the end. The best weights are kept on the CPU.
/// </summary>
public sealed class EarlyStopping : Callback, IDisposable
{
    private double best = double.NaN;
    private int wait;
    private Dictionary<string, Tensor>? bestWeights;

    /// <summary>Creates the callback.</summary>
    public EarlyStopping(string monitor = "val_loss", int patience = 5, double minDelta = 0, bool restoreBestWeights = false, string mode = "auto")
    {
        if (patience < 0) throw new ArgumentOutOfRangeException(nameof(patience), patience, "patience must be ≥ 0");
        Monitor = monitor;
        Patience = patience;
        MinDelta = Math.Abs(minDelta);
        RestoreBestWeights = restoreBestWeights;
        Maximize = mode switch
        {
            "max" => true,
            "min" => false,
            "auto" => MetricDirection.IsMaximized(monitor),
            _ => throw new ArgumentException($"mode must be min, max or auto, got '{mode}'", nameof(mode)),
        };
    }

    /// <summary>The monitored metric.</summary>
    public string Monitor { get; }

    /// <summary>Epochs without improvement tolerated.</summary>
    public int Patience { get; }

    /// <summary>Smallest change that counts as improvement.</summary>
    public double MinDelta { get; }

    /// <summary>Whether the best weights are put back when training ends.</summary>
    public bool RestoreBestWeights { get; }

    /// <summary>True when larger is better.</summary>
    public bool Maximize { get; }

    /// <summary>The epoch (1-based) at which training was stopped, or 0.</summary>
    public int StoppedEpoch { get; private set; }

    /// <inheritdoc />
    public override void OnEpochEnd(TrainingContext context, int epoch, IReadOnlyDictionary<string, double> metrics)
    {
        if (!metrics.TryGetValue(Monitor, out var value))
            throw new InvalidOperationException($"EarlyStopping monitors '{Monitor}' but the epoch reported only: {string.Join(", ", metrics.Keys)}");
        var improved = double.IsNaN(best) || (Maximize ? value > best + MinDelta : value < best - MinDelta);
        if (improved)
        {
            best = value;
            wait = 0;
            if (RestoreBestWeights) KeepWeights(context);
            return;
        }
        wait++;
        if (wait >= Patience)
        {
            StoppedEpoch = epoch + 1;
            context.StopTraining = true;
            context.StopReason = $"early stopping: {Monitor} did not improve for {Patience} epoch(s) (best {best:0.0000})";
        }
    }

    /// <inheritdoc />
    public override void OnTrainEnd(TrainingContext context)
    {
        if (!RestoreBestWeights || bestWeights is null) return;
        context.Model.LoadStateDict(bestWeights, strict: true);
        context.Log($"  restored the best weights ({Monitor} = {best:0.0000})");
    }

    private void KeepWeights(TrainingContext context)
    {
        DisposeWeights();
        bestWeights = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, t) in context.Model.StateDict())
        {
            using (t)
            {
                using var detached = t.Detach();
                bestWeights[name] = detached.To(Device.Cpu).DetachFromDisposeScope();
            }
        }
    }

    private void DisposeWeights()
    {
        if (bestWeights is null) return;
        foreach (var t in bestWeights.Values) t.Dispose();
        bestWeights = null;
    }

    /// <summary>The kept best weights (for checkpoints), or null.</summary>
    public IReadOnlyDictionary<string, Tensor>? BestWeights => bestWeights;

    /// <summary>Restores kept best weights from a checkpoint (values are copied).</summary>
    public void SetBestWeights(IReadOnlyDictionary<string, Tensor> weights)
    {
        DisposeWeights();
        bestWeights = weights.ToDictionary(kv => kv.Key, kv => kv.Value.Clone().DetachFromDisposeScope(), StringComparer.Ordinal);
    }

    /// <inheritdoc />
    public override Dictionary<string, string> GetState() => new()
    {
        ["best"] = best.ToString("R", CultureInfo.InvariantCulture),
        ["wait"] = wait.ToString(CultureInfo.InvariantCulture),
    };

    /// <inheritdoc />
    public override void SetState(IReadOnlyDictionary<string, string> state)
    {
        if (state.TryGetValue("best", out var b)) best = double.Parse(b, CultureInfo.InvariantCulture);
        if (state.TryGetValue("wait", out var w)) wait = int.Parse(w, CultureInfo.InvariantCulture);
    }

    /// <summary>Frees the kept weights.</summary>
    public void Dispose() => DisposeWeights();
}
