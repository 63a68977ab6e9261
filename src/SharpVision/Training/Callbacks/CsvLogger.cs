using SharpVision.Engine.IO;

namespace SharpVision.Training.Callbacks;

/// <summary>Writes the whole history to a CSV file after every epoch (rewritten atomically, so a resume never duplicates rows).</summary>
public sealed class CsvLogger : Callback
{
    /// <summary>Creates the logger.</summary>
    public CsvLogger(string path) => Path = path;

    /// <summary>The CSV file.</summary>
    public string Path { get; }

    /// <inheritdoc />
    public override void OnEpochEnd(TrainingContext context, int epoch, IReadOnlyDictionary<string, double> metrics)
    {
        if (context.IsPrimary) AtomicFile.WriteAllText(Path, context.History.ToCsv());
    }
}
