using SharpVision.Imaging;

namespace SharpVision.Data;

/// <summary>A view of some images of another dataset (same classes, same skipped-files report), re-indexed from 0.</summary>
public sealed class SubsetDataset : ImageDataset
{
    private readonly int[] indices;

    /// <summary>Creates a view of <paramref name="parent"/>'s images <paramref name="indices"/> (in that order).</summary>
    public SubsetDataset(ImageDataset parent, IReadOnlyList<int> indices)
    {
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(indices);
        foreach (var i in indices)
            if ((uint)i >= (uint)parent.Count) throw new ArgumentOutOfRangeException(nameof(indices), i, $"parent dataset has {parent.Count} images");
        Parent = parent;
        this.indices = indices.ToArray();
    }

    /// <summary>The dataset this is a view of.</summary>
    public ImageDataset Parent { get; }

    /// <summary>The parent's index of each image of this view.</summary>
    public IReadOnlyList<int> Indices => indices;

    /// <inheritdoc />
    public override int Count => indices.Length;

    /// <inheritdoc />
    public override IReadOnlyList<string> ClassNames => Parent.ClassNames;

    /// <inheritdoc />
    public override int Channels => Parent.Channels;

    /// <inheritdoc />
    public override SkippedFilesReport Skipped => Parent.Skipped;

    /// <inheritdoc />
    public override int Label(int index)
    {
        CheckIndex(index);
        return Parent.Label(indices[index]);
    }

    /// <inheritdoc />
    public override string Name(int index)
    {
        CheckIndex(index);
        return Parent.Name(indices[index]);
    }

    /// <inheritdoc />
    public override RgbImage Load(int index)
    {
        CheckIndex(index);
        return Parent.Load(indices[index]);
    }
}
