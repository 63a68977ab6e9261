using SharpVision.Imaging;
using SharpVision.Reports.TensorBoard;

namespace SharpVision.Training.Callbacks;

/// <summary>
/// Writes TensorBoard event files: every epoch metric (tag "epoch/&lt;metric&gt;", step = epoch), training loss,
/// accuracy and learning rate every <see cref="EveryNSteps"/> steps (tag "batch/…", step = global step), and a few
/// sample input images at the start. Point TensorBoard at the run folder: <c>tensorboard --logdir runs/</c>.
/// </summary>
public sealed class TensorBoardLogger : Callback, IDisposable
{
    private readonly IReadOnlyList<(string Tag, RgbImage Image)> samples;
    private TensorBoardWriter? writer;

    /// <summary>Creates the logger.</summary>
    /// <param name="logDirectory">Folder for the event file (the run folder).</param>
    /// <param name="everyNSteps">Step interval of the per-batch scalars (0 = none).</param>
    /// <param name="samples">Images to show under "inputs/…" (e.g. a few training images, augmented).</param>
    public TensorBoardLogger(string logDirectory, int everyNSteps = 20, IReadOnlyList<(string Tag, RgbImage Image)>? samples = null)
    {
        LogDirectory = logDirectory;
        EveryNSteps = everyNSteps;
        this.samples = samples ?? Array.Empty<(string, RgbImage)>();
    }

    /// <summary>The event-file folder.</summary>
    public string LogDirectory { get; }

    /// <summary>Interval of the per-step scalars.</summary>
    public int EveryNSteps { get; }

    /// <inheritdoc />
    public override void OnTrainBegin(TrainingContext context)
    {
        if (!context.IsPrimary) return;
        writer ??= new TensorBoardWriter(LogDirectory);
        foreach (var (tag, image) in samples) writer.AddImage("inputs/" + tag, image, context.GlobalStep);
        writer.Flush();
    }

    /// <inheritdoc />
    public override void OnBatchEnd(TrainingContext context, int batch, IReadOnlyDictionary<string, double> logs)
    {
        if (writer is null || EveryNSteps <= 0 || context.GlobalStep % EveryNSteps != 0) return;
        foreach (var key in new[] { "loss", "accuracy", "lr" })
            if (logs.TryGetValue(key, out var v)) writer.AddScalar("batch/" + key, v, context.GlobalStep);
    }

    /// <inheritdoc />
    public override void OnEpochEnd(TrainingContext context, int epoch, IReadOnlyDictionary<string, double> metrics)
    {
        if (writer is null) return;
        foreach (var (k, v) in metrics) writer.AddScalar("epoch/" + k, v, epoch + 1);
        writer.Flush();
    }

    /// <summary>Adds a text entry (TensorBoard's Text tab), e.g. a health warning.</summary>
    public void AddText(string tag, string text, long step)
    {
        if (writer is null) return;
        writer.AddText(tag, text, step);
        writer.Flush();
    }

    /// <inheritdoc />
    public override void OnTrainEnd(TrainingContext context) => Dispose();

    /// <summary>Closes the event file.</summary>
    public void Dispose()
    {
        writer?.Dispose();
        writer = null;
    }
}
