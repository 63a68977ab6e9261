using System.Globalization;

namespace SharpVision.Training.Schedules;

/// <summary>
/// A learning-rate schedule. The trainer asks for the rate before every optimizer step; plateau-style schedules
/// also see each epoch's monitored metric. State is saved in checkpoints so a resumed run continues exactly.
/// </summary>
public abstract class LearningRateSchedule
{
    /// <summary>The schedule's spec, e.g. "cosine:warmup=1" (saved with the run).</summary>
    public abstract string Spec { get; }

    /// <summary>The learning rate for optimizer step <paramref name="step"/> (0-based over the whole run).</summary>
    /// <param name="baseLearningRate">The configured (maximum) learning rate.</param>
    /// <param name="step">Global step index.</param>
    /// <param name="stepsPerEpoch">Optimizer steps in one epoch.</param>
    /// <param name="totalEpochs">Epochs of the run.</param>
    public abstract double LearningRate(double baseLearningRate, long step, int stepsPerEpoch, int totalEpochs);

    /// <summary>Called after each epoch with the monitored metric (for reduce-on-plateau).</summary>
    public virtual void EpochEnded(int epoch, IReadOnlyDictionary<string, double> metrics) { }

    /// <summary>Mutable state to checkpoint.</summary>
    public virtual Dictionary<string, double> GetState() => new();

    /// <summary>Restores state from a checkpoint.</summary>
    public virtual void SetState(IReadOnlyDictionary<string, double> state) { }

    /// <summary>The valid schedule names for error messages.</summary>
    public const string ValidSpecs = "constant | step:every=E,gamma=G | cosine:warmup=E,min=LR | onecycle:pct=0.3,div=25,final_div=10000 | plateau:monitor=val_loss,factor=0.1,patience=3,min_lr=0";

    /// <summary>Parses a schedule spec such as "cosine:warmup=1" or "plateau:patience=2,factor=0.5".</summary>
    /// <exception cref="FormatException">Unknown schedule or option; the message lists the valid forms.</exception>
    public static LearningRateSchedule Parse(string spec)
    {
        var text = spec.Trim();
        var colon = text.IndexOf(':');
        var name = (colon < 0 ? text : text[..colon]).Trim().ToLowerInvariant();
        var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (colon >= 0)
        {
            foreach (var part in text[(colon + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var eq = part.IndexOf('=');
                if (eq <= 0) throw new FormatException($"schedule option '{part}' in '{spec}' must be key=value; valid schedules: {ValidSpecs}");
                options[part[..eq].Trim()] = part[(eq + 1)..].Trim();
            }
        }
        LearningRateSchedule result = name switch
        {
            "" or "constant" or "none" => new ConstantSchedule(),
            "step" => new StepSchedule(Int(options, "every", 10, spec), Num(options, "gamma", 0.1, spec)),
            "cosine" => new CosineSchedule(Num(options, "warmup", 0, spec), Num(options, "min", 0, spec)),
            "onecycle" => new OneCycleSchedule(Num(options, "pct", 0.3, spec), Num(options, "div", 25, spec), Num(options, "final_div", 1e4, spec)),
            "plateau" => new ReduceOnPlateauSchedule(Str(options, "monitor", "val_loss"), Num(options, "factor", 0.1, spec),
                Int(options, "patience", 3, spec), Num(options, "min_lr", 0, spec), Num(options, "min_delta", 1e-4, spec), Int(options, "cooldown", 0, spec)),
            _ => throw new FormatException($"unknown schedule '{name}' in '{spec}'; valid schedules: {ValidSpecs}"),
        };
        if (options.Count > 0) throw new FormatException($"unknown option(s) {string.Join(", ", options.Keys)} for schedule '{name}'; valid schedules: {ValidSpecs}");
        return result;
    }

    private static double Num(Dictionary<string, string> o, string key, double fallback, string spec)
    {
        if (!o.Remove(key, out var v)) return fallback;
        if (!double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) || double.IsNaN(d))
            throw new FormatException($"schedule option {key}='{v}' in '{spec}' is not a number");
        return d;
    }

    private static int Int(Dictionary<string, string> o, string key, int fallback, string spec)
    {
        if (!o.Remove(key, out var v)) return fallback;
        if (!int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) || i < 0)
            throw new FormatException($"schedule option {key}='{v}' in '{spec}' is not a non-negative integer");
        return i;
    }

    private static string Str(Dictionary<string, string> o, string key, string fallback) => o.Remove(key, out var v) ? v : fallback;

    /// <summary>Formats a number for specs.</summary>
    protected static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}

/// <summary>The learning rate never changes.</summary>
public sealed class ConstantSchedule : LearningRateSchedule
{
    /// <inheritdoc />
    public override string Spec => "constant";

    /// <inheritdoc />
    public override double LearningRate(double baseLearningRate, long step, int stepsPerEpoch, int totalEpochs) => baseLearningRate;
}

/// <summary>Multiplies the rate by <see cref="Gamma"/> every <see cref="Every"/> epochs (torch StepLR).</summary>
public sealed class StepSchedule : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    public StepSchedule(int every, double gamma)
    {
        if (every < 1) throw new ArgumentOutOfRangeException(nameof(every), every, "step schedule needs every ≥ 1 epoch");
        Every = every;
        Gamma = gamma;
    }

    /// <summary>Epochs between decays.</summary>
    public int Every { get; }

    /// <summary>Decay factor.</summary>
    public double Gamma { get; }

    /// <inheritdoc />
    public override string Spec => $"step:every={Every},gamma={F(Gamma)}";

    /// <inheritdoc />
    public override double LearningRate(double baseLearningRate, long step, int stepsPerEpoch, int totalEpochs) =>
        baseLearningRate * Math.Pow(Gamma, step / Math.Max(1, stepsPerEpoch) / Every);
}

/// <summary>Linear warm-up over <see cref="WarmupEpochs"/>, then cosine decay to <see cref="MinLearningRate"/> by the last step.</summary>
public sealed class CosineSchedule : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    public CosineSchedule(double warmupEpochs = 0, double minLearningRate = 0)
    {
        WarmupEpochs = warmupEpochs;
        MinLearningRate = minLearningRate;
    }

    /// <summary>Warm-up length in epochs (may be fractional).</summary>
    public double WarmupEpochs { get; }

    /// <summary>The final learning rate.</summary>
    public double MinLearningRate { get; }

    /// <inheritdoc />
    public override string Spec => $"cosine:warmup={F(WarmupEpochs)},min={F(MinLearningRate)}";

    /// <inheritdoc />
    public override double LearningRate(double baseLearningRate, long step, int stepsPerEpoch, int totalEpochs)
    {
        var total = (double)stepsPerEpoch * totalEpochs;
        var warmup = Math.Min(WarmupEpochs * stepsPerEpoch, total);
        if (step < warmup) return baseLearningRate * (step + 1) / warmup;
        var span = Math.Max(1, total - warmup);
        var progress = Math.Clamp((step - warmup) / span, 0, 1);
        return MinLearningRate + (baseLearningRate - MinLearningRate) * 0.5 * (1 + Math.Cos(Math.PI * progress));
    }
}

/// <summary>
/// The one-cycle policy (torch OneCycleLR, cosine annealing): from base/div up to base over the first
/// <see cref="PctStart"/> of the steps, then down to base/(div·finalDiv).
/// </summary>
public sealed class OneCycleSchedule : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    public OneCycleSchedule(double pctStart = 0.3, double divFactor = 25, double finalDivFactor = 1e4)
    {
        if (pctStart is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(pctStart), pctStart, "pct must be in (0, 1)");
        PctStart = pctStart;
        DivFactor = divFactor;
        FinalDivFactor = finalDivFactor;
    }

    /// <summary>Fraction of the run spent increasing the rate.</summary>
    public double PctStart { get; }

    /// <summary>Initial rate = max / DivFactor.</summary>
    public double DivFactor { get; }

    /// <summary>Final rate = initial / FinalDivFactor.</summary>
    public double FinalDivFactor { get; }

    /// <inheritdoc />
    public override string Spec => $"onecycle:pct={F(PctStart)},div={F(DivFactor)},final_div={F(FinalDivFactor)}";

    /// <inheritdoc />
    public override double LearningRate(double baseLearningRate, long step, int stepsPerEpoch, int totalEpochs)
    {
        var total = (double)stepsPerEpoch * totalEpochs;
        var initial = baseLearningRate / DivFactor;
        var final = initial / FinalDivFactor;
        var phase1End = PctStart * total - 1;
        if (step <= phase1End) return Anneal(initial, baseLearningRate, phase1End <= 0 ? 1 : step / phase1End);
        var phase2 = total - 1 - phase1End;
        return Anneal(baseLearningRate, final, phase2 <= 0 ? 1 : Math.Min(1, (step - phase1End) / phase2));
    }

    private static double Anneal(double start, double end, double pct) => end + (start - end) / 2 * (Math.Cos(Math.PI * pct) + 1);
}

/// <summary>Reduces the rate by <see cref="Factor"/> when the monitored metric stops improving (Keras ReduceLROnPlateau).</summary>
public sealed class ReduceOnPlateauSchedule : LearningRateSchedule
{
    private double scale = 1;
    private double best = double.NaN;
    private int wait;
    private int cooldownLeft;

    /// <summary>Creates the schedule.</summary>
    public ReduceOnPlateauSchedule(string monitor = "val_loss", double factor = 0.1, int patience = 3, double minLearningRate = 0,
        double minDelta = 1e-4, int cooldown = 0)
    {
        if (factor is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(factor), factor, "factor must be in (0, 1)");
        Monitor = monitor;
        Factor = factor;
        Patience = patience;
        MinLearningRate = minLearningRate;
        MinDelta = minDelta;
        Cooldown = cooldown;
    }

    /// <summary>The metric watched (a name from the epoch metrics, e.g. val_loss or val_accuracy).</summary>
    public string Monitor { get; }

    /// <summary>Multiplier applied on a plateau.</summary>
    public double Factor { get; }

    /// <summary>Epochs without improvement before reducing.</summary>
    public int Patience { get; }

    /// <summary>Lower bound of the rate.</summary>
    public double MinLearningRate { get; }

    /// <summary>Smallest change that counts as an improvement.</summary>
    public double MinDelta { get; }

    /// <summary>Epochs to wait after a reduction.</summary>
    public int Cooldown { get; }

    /// <summary>Current multiplier of the base rate.</summary>
    public double Scale => scale;

    /// <inheritdoc />
    public override string Spec => $"plateau:monitor={Monitor},factor={F(Factor)},patience={Patience},min_lr={F(MinLearningRate)},min_delta={F(MinDelta)},cooldown={Cooldown}";

    /// <inheritdoc />
    public override double LearningRate(double baseLearningRate, long step, int stepsPerEpoch, int totalEpochs) =>
        Math.Max(MinLearningRate, baseLearningRate * scale);

    /// <inheritdoc />
    public override void EpochEnded(int epoch, IReadOnlyDictionary<string, double> metrics)
    {
        if (!metrics.TryGetValue(Monitor, out var value))
            throw new InvalidOperationException($"plateau schedule monitors '{Monitor}' but the epoch reported only: {string.Join(", ", metrics.Keys)}");
        var maximize = MetricDirection.IsMaximized(Monitor);
        var improved = double.IsNaN(best) || (maximize ? value > best + MinDelta : value < best - MinDelta);
        if (cooldownLeft > 0) cooldownLeft--;
        if (improved)
        {
            best = value;
            wait = 0;
        }
        else if (cooldownLeft == 0 && ++wait > Patience - 1)
        {
            scale *= Factor;
            wait = 0;
            cooldownLeft = Cooldown;
        }
    }

    /// <inheritdoc />
    public override Dictionary<string, double> GetState() => new() { ["scale"] = scale, ["best"] = best, ["wait"] = wait, ["cooldown"] = cooldownLeft };

    /// <inheritdoc />
    public override void SetState(IReadOnlyDictionary<string, double> state)
    {
        scale = state.TryGetValue("scale", out var s) ? s : 1;
        best = state.TryGetValue("best", out var b) ? b : double.NaN;
        wait = state.TryGetValue("wait", out var w) ? (int)w : 0;
        cooldownLeft = state.TryGetValue("cooldown", out var c) ? (int)c : 0;
    }
}
