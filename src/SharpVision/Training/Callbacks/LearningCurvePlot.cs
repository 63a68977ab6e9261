using SharpVision.Imaging;
using SharpVision.Reports.Charts;

namespace SharpVision.Training.Callbacks;

/// <summary>Redraws the learning curves (train vs validation loss and accuracy, the textbook figure) as a PNG after every epoch.</summary>
public sealed class LearningCurvePlot : Callback
{
    /// <summary>Creates the callback.</summary>
    public LearningCurvePlot(string path) => Path = path;

    /// <summary>The PNG file.</summary>
    public string Path { get; }

    /// <inheritdoc />
    public override void OnEpochEnd(TrainingContext context, int epoch, IReadOnlyDictionary<string, double> metrics)
    {
        if (!context.IsPrimary) return;
        Save(context.History, Path);
    }

    /// <summary>Draws a history into a PNG file (written atomically).</summary>
    public static void Save(History history, string path)
    {
        var series = history.AllSeries()
            .Where(kv => kv.Key is "loss" or "val_loss" or "accuracy" or "val_accuracy")
            .ToDictionary(kv => kv.Key, kv => (IReadOnlyList<double>)kv.Value);
        if (series.Count == 0) return;
        var png = PngEncoder.Encode(LearningCurves.Render(series));
        Engine.IO.AtomicFile.WriteAllBytes(path, png);
    }
}
