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

    /// <summary>
    /// The dataset at the bottom of a chain of views (a fold of a folder, its training part less an exclusion list, …)
    /// and the index there of each image of <paramref name="dataset"/>; a dataset that is no view is its own root.
    /// </summary>
    public static (ImageDataset Root, int[] Indices) Flatten(ImageDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var map = Enumerable.Range(0, dataset.Count).ToArray();
        var current = dataset;
        while (current is SubsetDataset view)
        {
            for (var i = 0; i < map.Length; i++) map[i] = view.indices[map[i]];
            current = view.Parent;
        }
        return (current, map);
    }

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
