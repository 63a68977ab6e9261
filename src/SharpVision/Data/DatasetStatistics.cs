using System.Text;

namespace SharpVision.Data;

/// <summary>Per-class image counts of a dataset.</summary>
public sealed class DatasetStatistics
{
    private DatasetStatistics(IReadOnlyList<string> classNames, int[] counts, int skipped)
    {
        ClassNames = classNames;
        Counts = counts;
        SkippedCount = skipped;
    }

    /// <summary>The class names.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Images per class.</summary>
    public IReadOnlyList<int> Counts { get; }

    /// <summary>Total images.</summary>
    public int Total => Counts.Sum();

    /// <summary>Files skipped so far.</summary>
    public int SkippedCount { get; }

    /// <summary>Counts the images of each class.</summary>
    public static DatasetStatistics Of(ImageDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return new DatasetStatistics(dataset.ClassNames, dataset.ClassCounts(), dataset.Skipped.Count);
    }

    /// <summary>One line per class ("cheesecake: 675"), then the total and the number of skipped files.</summary>
    public string Format()
    {
        var width = ClassNames.Count == 0 ? 0 : ClassNames.Max(n => n.Length);
        var sb = new StringBuilder();
        for (var c = 0; c < ClassNames.Count; c++)
            sb.Append((ClassNames[c] + ":").PadRight(width + 1)).Append(' ').Append(Counts[c]).Append('\n');
        sb.Append($"total: {Total} images in {ClassNames.Count} classes");
        if (SkippedCount > 0) sb.Append($", {SkippedCount} files skipped");
        sb.Append('\n');
        return sb.ToString();
    }

    /// <inheritdoc />
    public override string ToString() => Format();
}
