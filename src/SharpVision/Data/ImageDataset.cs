using SharpVision.Imaging;

namespace SharpVision.Data;

/// <summary>
/// A labelled image collection with stable indices 0..<see cref="Count"/>-1. Implementations must be safe to
/// <see cref="Load"/> from several threads at once.
/// </summary>
public abstract class ImageDataset
{
    /// <summary>Number of images.</summary>
    public abstract int Count { get; }

    /// <summary>Class names; a label is an index into this list.</summary>
    public abstract IReadOnlyList<string> ClassNames { get; }

    /// <summary>Channels of the images <see cref="Load"/> returns (3 for photos, 1 for MNIST-style data).</summary>
    public virtual int Channels => 3;

    /// <summary>
    /// Files left out: those rejected when the dataset was opened, plus those a loader failed to decode later.
    /// Shared by subsets of this dataset.
    /// </summary>
    public abstract SkippedFilesReport Skipped { get; }

    /// <summary>The class index of image <paramref name="index"/>.</summary>
    public abstract int Label(int index);

    /// <summary>A name for image <paramref name="index"/>: its file path, or e.g. "idx:123" for in-memory data.</summary>
    public abstract string Name(int index);

    /// <summary>Decodes image <paramref name="index"/>; throws <see cref="InvalidImageException"/> when it cannot be decoded.</summary>
    public abstract RgbImage Load(int index);

    /// <summary>Number of images per class (indexed like <see cref="ClassNames"/>).</summary>
    public int[] ClassCounts()
    {
        var counts = new int[ClassNames.Count];
        for (var i = 0; i < Count; i++) counts[Label(i)]++;
        return counts;
    }

    /// <summary>Throws a clear error when <paramref name="index"/> is out of range.</summary>
    protected void CheckIndex(int index)
    {
        if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index), index, $"dataset has {Count} images");
    }
}
