using SharpVision.Imaging;
using SharpVision.Reports.TensorBoard;

namespace SharpVision.Training.Callbacks;

/// <summary>
/// Writes TensorBoard event files the way Keras lays them out, so training and validation share one chart: the run
/// folder's <c>train/</c> run gets every training metric per epoch (tag "epoch/&lt;metric&gt;", step = epoch), training
/// loss, accuracy and learning rate every <see cref="EveryNSteps"/> steps ("batch/…", step = global step), the sample
/// input images and text entries (health warnings); the <c>validation/</c> run gets the val_* metrics under the same
/// tags without the prefix ("epoch/loss"); the folder itself holds the hyper-parameters for the HParams tab. Point
/// TensorBoard at the run folder (or its parent): <c>tensorboard --logdir runs/</c>.
/// </summary>
public sealed class TensorBoardLogger : Callback, IDisposable
{
    /// <summary>Prefix of the validation metrics in the history; they go to the validation run without it.</summary>
    public const string ValidationPrefix = "val_";

    private readonly IReadOnlyList<(string Tag, RgbImage Image)> samples;
    private readonly IReadOnlyDictionary<string, object>? hparams;
    private TensorBoardWriter? train, validation;

    /// <summary>Creates the logger.</summary>
    /// <param name="logDirectory">The run folder: train/ and validation/ are created inside.</param>
    /// <param name="everyNSteps">Step interval of the per-batch scalars (0 = none).</param>
    /// <param name="samples">Images to show under "inputs/…" (e.g. a few training images of several classes).</param>
    /// <param name="hparams">Hyper-parameters for the HParams tab (strings, numbers, booleans); null = none.</param>
    public TensorBoardLogger(string logDirectory, int everyNSteps = 20, IReadOnlyList<(string Tag, RgbImage Image)>? samples = null,
        IReadOnlyDictionary<string, object>? hparams = null)
    {
        LogDirectory = logDirectory;
        EveryNSteps = everyNSteps;
        this.samples = samples ?? Array.Empty<(string, RgbImage)>();
        this.hparams = hparams;
    }

    /// <summary>The run folder.</summary>
    public string LogDirectory { get; }

    /// <summary>Interval of the per-step scalars.</summary>
    public int EveryNSteps { get; }

    /// <inheritdoc />
    public override void OnTrainBegin(TrainingContext context)
    {
        if (!context.IsPrimary) return;
        if (train is null && hparams is { Count: > 0 })
        {
            using var session = new TensorBoardWriter(LogDirectory);
            session.AddHParams(hparams);
        }
        train ??= new TensorBoardWriter(Path.Combine(LogDirectory, "train"));
        validation ??= new TensorBoardWriter(Path.Combine(LogDirectory, "validation"));
        foreach (var (tag, image) in samples) train.AddImage("inputs/" + tag, image, context.GlobalStep);
        train.Flush();
    }

    /// <inheritdoc />
    public override void OnBatchEnd(TrainingContext context, int batch, IReadOnlyDictionary<string, double> logs)
    {
        if (train is null || EveryNSteps <= 0 || context.GlobalStep % EveryNSteps != 0) return;
        foreach (var key in new[] { "loss", "accuracy", "lr" })
            if (logs.TryGetValue(key, out var v)) train.AddScalar("batch/" + key, v, context.GlobalStep);
    }

    /// <inheritdoc />
    public override void OnEpochEnd(TrainingContext context, int epoch, IReadOnlyDictionary<string, double> metrics)
    {
        if (train is null || validation is null) return;
        // The history may carry annotations added after the metrics were taken (health_warnings): write those too.
        var all = epoch < context.History.Count ? context.History[epoch] : metrics;
        foreach (var (k, v) in all)
        {
            if (k.StartsWith(ValidationPrefix, StringComparison.Ordinal)) validation.AddScalar("epoch/" + k[ValidationPrefix.Length..], v, epoch + 1);
            else train.AddScalar("epoch/" + k, v, epoch + 1);
        }
        train.Flush();
        validation.Flush();
    }

    /// <summary>Adds a text entry to the train run (TensorBoard's Text tab), e.g. a health warning.</summary>
    public void AddText(string tag, string text, long step)
    {
        if (train is null) return;
        train.AddText(tag, text, step);
        train.Flush();
    }

    /// <inheritdoc />
    public override void OnTrainEnd(TrainingContext context) => Dispose();

    /// <summary>Closes the event files.</summary>
    public void Dispose()
    {
        train?.Dispose();
        validation?.Dispose();
        train = validation = null;
    }
}
