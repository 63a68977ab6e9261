using System.Globalization;
using System.Text.Json;
using SharpVision.Engine;
using SharpVision.Training.Health;

namespace SharpVision.Training.Callbacks;

/// <summary>
/// Watches a run and says, with evidence and advice, when it is going wrong: a loss stuck at ln(classes), NaN/Inf,
/// exploding or vanishing gradients per layer, dead ReLU units per layer (on a fixed probe batch), training accuracy
/// far above validation accuracy, and a validation plateau. It checks once after the first steps
/// (<see cref="TrainingHealthOptions.FirstCheckStep"/>) and after every epoch. Each problem is logged once per run as
/// one line ("health: …"), kept in <see cref="Findings"/>, raised through <see cref="FindingReported"/> (TensorBoard,
/// run.json), and counted per epoch in the history's <c>health_warnings</c> column; a NaN loss also stops the run.
/// Place it before the callbacks that write the history (CSV, TensorBoard) so they see that column.
/// </summary>
public sealed class TrainingHealthMonitor : Callback, IDisposable
{
    private readonly int numClasses;
    private readonly Tensor? probe;
    private readonly List<HealthFinding> findings = new();
    private readonly HashSet<string> reported = new(StringComparer.Ordinal);
    private readonly Queue<(double Loss, double Accuracy)> window = new();
    private IReadOnlyList<GradientNorms.Layer> lastGradients = Array.Empty<GradientNorms.Layer>();
    private double previousRunningLoss, previousRunningAccuracy;
    private int currentEpochWarnings;
    private bool nonFiniteSeen;

    /// <summary>Creates the monitor.</summary>
    /// <param name="numClasses">Classes of the task (the stuck-loss level is ln of it).</param>
    /// <param name="probe">A fixed, prepared input batch for the dead-ReLU check (owned: disposed with the monitor); null skips that check.</param>
    /// <param name="options">Thresholds.</param>
    public TrainingHealthMonitor(int numClasses, Tensor? probe, TrainingHealthOptions? options = null)
    {
        this.numClasses = Math.Max(2, numClasses);
        this.probe = probe?.DetachFromDisposeScope();
        Options = options ?? new TrainingHealthOptions();
    }

    /// <summary>The thresholds.</summary>
    public TrainingHealthOptions Options { get; }

    /// <summary>Every problem found so far (each once), in order.</summary>
    public IReadOnlyList<HealthFinding> Findings => findings;

    /// <summary>Raised once per new finding (after it is logged), e.g. to write it to TensorBoard.</summary>
    public event Action<HealthFinding>? FindingReported;

    /// <inheritdoc />
    public override void OnEpochBegin(TrainingContext context, int epoch)
    {
        window.Clear();
        previousRunningLoss = previousRunningAccuracy = 0;
        currentEpochWarnings = 0;
    }

    /// <inheritdoc />
    public override void OnBatchEnd(TrainingContext context, int batch, IReadOnlyDictionary<string, double> logs)
    {
        // The logs hold running means over the epoch; the batch's own values follow from two consecutive means.
        var loss = logs.GetValueOrDefault("loss", double.NaN);
        var accuracy = logs.GetValueOrDefault("accuracy", double.NaN);
        window.Enqueue((loss * (batch + 1) - previousRunningLoss * batch, accuracy * (batch + 1) - previousRunningAccuracy * batch));
        while (window.Count > Options.Window) window.Dequeue();
        previousRunningLoss = loss;
        previousRunningAccuracy = accuracy;

        if (!double.IsFinite(loss) && !nonFiniteSeen)
        {
            nonFiniteSeen = true;
            Report(context, new HealthFinding(HealthCheck.NonFinite, context.Epoch + 1, context.GlobalStep, null,
                $"the training loss became {(double.IsNaN(loss) ? "NaN" : "infinite")} at step {context.GlobalStep}",
                $"lower --lr{SuggestionText()} or add --clip-grad 1; training stops after this epoch"));
            context.StopTraining = true;
            context.StopReason ??= "Stopped: the loss is not a number (see the health warnings above).";
        }
        var lastOfEpoch = batch == context.StepsPerEpoch - 1;
        var early = context.GlobalStep == Math.Min(Options.FirstCheckStep, context.StepsPerEpoch) && context.Epoch == 0;
        if (lastOfEpoch || early) lastGradients = GradientNorms.Measure(context.Model);
        if (early && !lastOfEpoch) RunModelChecks(context, $"after {context.GlobalStep} steps");
    }

    /// <inheritdoc />
    public override void OnEpochEnd(TrainingContext context, int epoch, IReadOnlyDictionary<string, double> metrics)
    {
        RunModelChecks(context, $"in epoch {epoch + 1}");
        var valLoss = context.History.Series("val_loss");
        // A gap alone is not enough (BatchNorm models validate behind early on): the validation loss must be rising too.
        var valLossRising = valLoss.Length > 1 && valLoss.All(double.IsFinite) && valLoss[^1] > valLoss.Min() * 1.02;
        if (metrics.TryGetValue("accuracy", out var acc) && metrics.TryGetValue("val_accuracy", out var val) && acc - val > Options.OverfitGap && valLossRising)
            Found(context, new HealthFinding(HealthCheck.Overfitting, epoch + 1, context.GlobalStep, null,
                string.Create(CultureInfo.InvariantCulture, $"training accuracy {acc:P0} against validation {val:P0} (a gap of {(acc - val) * 100:0} points) while the validation loss rises: the model memorises its training images"),
                "add augmentation (--augment standard), --dropout 0.3 or --weight-decay 1e-4, or keep the best epoch with --early-stopping 5"));
        var n = Options.PlateauEpochs;
        if (valLoss.Length > n && valLoss.All(double.IsFinite))
        {
            var bestBefore = valLoss.Take(valLoss.Length - n).Min();
            var recent = valLoss.Skip(valLoss.Length - n).Min();
            if (recent > bestBefore * (1 - 1e-3))
                Found(context, new HealthFinding(HealthCheck.Plateau, epoch + 1, context.GlobalStep, null,
                    string.Create(CultureInfo.InvariantCulture, $"the validation loss has not improved for {n} epochs (best {bestBefore:0.0000}, since then at best {recent:0.0000})"),
                    "lower the rate when it stalls (--schedule plateau or cosine), or stop there (--early-stopping 3)"));
        }
        // Only the epochs of this run are annotated; the history is what CSV and TensorBoard write next.
        if (epoch < context.History.Count) context.History.Set(epoch, "health_warnings", currentEpochWarnings);
    }

    private void RunModelChecks(TrainingContext context, string when)
    {
        var epoch = context.Epoch + 1;
        var step = context.GlobalStep;
        var lnC = Math.Log(numClasses);
        var relu = probe is null ? Array.Empty<ReluProbe.Layer>() : ReluProbe.Measure(context.Model, probe).Where(l => l.Units > 0).OrderByDescending(l => l.DeadShare).ToArray();
        if (window.Count > 0)
        {
            var loss = window.Average(w => w.Loss);
            var accuracy = window.Average(w => w.Accuracy);
            if (Math.Abs(loss - lnC) < Options.StuckTolerance * lnC && accuracy < 1.25 / numClasses)
            {
                // Dying ReLUs are the usual cause; name the worst layer as evidence when many of its units are silent.
                var cause = relu.FirstOrDefault() is { DeadShare: >= 0.25 } w
                    ? string.Create(CultureInfo.InvariantCulture, $"; {w.DeadShare:P0} of the ReLU units of {w.Label} never fire")
                    : "";
                Found(context, new HealthFinding(HealthCheck.StuckLoss, epoch, step, null,
                    string.Create(CultureInfo.InvariantCulture,
                        $"the training loss is {loss:0.0000} ≈ ln {numClasses} = {lnC:0.0000} and accuracy {accuracy:P0} {when}: the model predicts chance{cause}"),
                    $"lower --lr{SuggestionText()}, use a model with BatchNorm (e.g. resnet18), or check that the labels match the images"));
            }
        }
        var dead = relu.Where(l => l.DeadShare >= Options.DeadReluShare).ToList();
        if (dead.Count > 0)
        {
            var worst = dead[0];
            var others = dead.Count == 1 ? "" : $"; also {string.Join(", ", dead.Skip(1).Select(l => string.Create(CultureInfo.InvariantCulture, $"{l.Path} {l.DeadShare:P0}")))}";
            Found(context, new HealthFinding(HealthCheck.DeadRelu, epoch, step, worst.Label,
                string.Create(CultureInfo.InvariantCulture, $"{worst.DeadShare:P0} of ReLU units never fire ({worst.Dead} of {worst.Units} on the probe batch {when}{others})"),
                $"lower --lr{SuggestionText()} or use a model with BatchNorm (e.g. resnet18)"));
        }
        var exploding = lastGradients.Where(g => !double.IsFinite(g.Gradient) || g.Ratio > Options.ExplodingRatio).ToList();
        if (exploding.Count > 0)
        {
            var worst = exploding.MaxBy(g => double.IsFinite(g.Ratio) ? g.Ratio : double.MaxValue)!;
            Found(context, new HealthFinding(HealthCheck.ExplodingGradients, epoch, step, worst.Name,
                string.Create(CultureInfo.InvariantCulture, $"gradient norm {worst.Gradient:G3} is {worst.Ratio:G3}× the weights' norm ({exploding.Count} layer(s) above {Options.ExplodingRatio}×, {when})"),
                $"add --clip-grad 1 or lower --lr{SuggestionText()}"));
        }
        // Relative to the layer that learns fastest: when the loss is near 0, every gradient is small and that is fine.
        var fastest = lastGradients.Count == 0 ? 0 : lastGradients.Max(g => double.IsFinite(g.Ratio) ? g.Ratio : 0);
        var vanishing = fastest > 0 ? lastGradients.Where(g => g.Ratio < Options.VanishingRatio * fastest).ToList() : new List<GradientNorms.Layer>();
        if (vanishing.Count > 0)
            Found(context, new HealthFinding(HealthCheck.VanishingGradients, epoch, step, vanishing[0].Name,
                string.Create(CultureInfo.InvariantCulture,
                    $"gradients vanish in {vanishing.Count} of {lastGradients.Count} layers (here {vanishing[0].Gradient:G3}, {vanishing[0].Ratio:G2}× the weights' norm against {fastest:G2}× in the fastest layer, {when}): they no longer learn"),
                $"if ReLUs died, lower --lr{SuggestionText()}; otherwise use a model with BatchNorm or residual connections"));
    }

    private void Found(TrainingContext context, HealthFinding finding)
    {
        currentEpochWarnings++;
        Report(context, finding);
    }

    private void Report(TrainingContext context, HealthFinding finding)
    {
        if (!reported.Add(finding.Key)) return;
        findings.Add(finding);
        if (context.IsPrimary) context.Log("health: " + finding.Message);
        FindingReported?.Invoke(finding);
    }

    private string SuggestionText() => Options.SuggestedLearningRate is { } lr
        ? " (lr-find suggests " + LearningRates.LearningRateFinderResult.Format(lr) + ")"
        : " (`sharpvision lr-find` with the same options suggests one)";

    /// <inheritdoc />
    public override Dictionary<string, string> GetState() => new() { ["findings"] = JsonSerializer.Serialize(findings) };

    /// <inheritdoc />
    public override void SetState(IReadOnlyDictionary<string, string> state)
    {
        if (!state.TryGetValue("findings", out var json)) return;
        foreach (var f in JsonSerializer.Deserialize<List<HealthFinding>>(json) ?? new())
            if (reported.Add(f.Key)) findings.Add(f);
    }

    /// <inheritdoc />
    public override void OnTrainEnd(TrainingContext context) => Dispose();

    /// <summary>Frees the probe batch.</summary>
    public void Dispose() => probe?.Dispose();
}
