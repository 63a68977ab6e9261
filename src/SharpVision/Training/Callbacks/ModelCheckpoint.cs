using System.Globalization;

namespace SharpVision.Training.Callbacks;

/// <summary>Saves the model when the monitored metric improves (Keras ModelCheckpoint with save_best_only).</summary>
public sealed class ModelCheckpoint : Callback
{
    private double best = double.NaN;

    /// <summary>Creates the callback.</summary>
    /// <param name="path">Where to write the best model (e.g. runs/NAME/best.safetensors).</param>
    /// <param name="monitor">Metric name (val_accuracy, val_loss, ...).</param>
    /// <param name="mode">"max", "min" or "auto" (from the metric's name).</param>
    /// <param name="saveBestOnly">False: save after every epoch.</param>
    public ModelCheckpoint(string path, string monitor = "val_accuracy", string mode = "auto", bool saveBestOnly = true)
    {
        Path = path;
        Monitor = monitor;
        Maximize = mode switch
        {
            "max" => true,
            "min" => false,
            "auto" => MetricDirection.IsMaximized(monitor),
            _ => throw new ArgumentException($"mode must be min, max or auto, got '{mode}'", nameof(mode)),
        };
        SaveBestOnly = saveBestOnly;
    }

    /// <summary>The output file.</summary>
    public string Path { get; }

    /// <summary>The monitored metric.</summary>
    public string Monitor { get; }

    /// <summary>True when larger is better.</summary>
    public bool Maximize { get; }

    /// <summary>Whether only improvements are saved.</summary>
    public bool SaveBestOnly { get; }

    /// <summary>The best value so far (NaN before the first epoch).</summary>
    public double Best => best;

    /// <summary>The epoch (1-based) of the best value.</summary>
    public int BestEpoch { get; private set; }

    /// <inheritdoc />
    public override void OnEpochEnd(TrainingContext context, int epoch, IReadOnlyDictionary<string, double> metrics)
    {
        if (!metrics.TryGetValue(Monitor, out var value))
            throw new InvalidOperationException($"ModelCheckpoint monitors '{Monitor}' but the epoch reported only: {string.Join(", ", metrics.Keys)} (no validation data?)");
        var improved = double.IsNaN(best) || (Maximize ? value > best : value < best);
        if (improved)
        {
            best = value;
            BestEpoch = epoch + 1;
        }
        if ((improved || !SaveBestOnly) && context.IsPrimary)
        {
            context.SaveModel(Path);
            if (improved) context.Log($"  ✓ {Monitor} improved to {value:0.0000}; saved {Path}");
        }
    }

    /// <inheritdoc />
    public override Dictionary<string, string> GetState() => new()
    {
        ["best"] = best.ToString("R", CultureInfo.InvariantCulture),
        ["best_epoch"] = BestEpoch.ToString(CultureInfo.InvariantCulture),
    };

    /// <inheritdoc />
    public override void SetState(IReadOnlyDictionary<string, string> state)
    {
        if (state.TryGetValue("best", out var b)) best = double.Parse(b, CultureInfo.InvariantCulture);
        if (state.TryGetValue("best_epoch", out var e)) BestEpoch = int.Parse(e, CultureInfo.InvariantCulture);
    }
}
