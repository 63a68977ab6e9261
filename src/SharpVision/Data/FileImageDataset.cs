using SharpVision.Imaging;

namespace SharpVision.Data;

/// <summary>
/// An image dataset backed by files on disk (a list of path + label), decoded on every <see cref="Load"/>. Base of
/// <see cref="ImageFolderDataset"/> and <see cref="Food101Dataset"/>.
/// </summary>
public abstract class FileImageDataset : ImageDataset
{
    private readonly string[] paths;
    private readonly int[] labels;
    private readonly string[] classNames;
    private readonly SkippedFilesReport skipped;

    /// <summary>Creates the dataset over already validated files.</summary>
    protected FileImageDataset(string root, IReadOnlyList<string> classNames, IReadOnlyList<(string Path, int Label)> files,
        SkippedFilesReport skipped, ImageDecodeOptions decodeOptions)
    {
        Root = root;
        this.classNames = classNames.ToArray();
        paths = files.Select(f => f.Path).ToArray();
        labels = files.Select(f => f.Label).ToArray();
        this.skipped = skipped;
        DecodeOptions = decodeOptions;
    }

    /// <summary>The dataset's root folder.</summary>
    public string Root { get; }

    /// <summary>Options used to decode the images.</summary>
    public ImageDecodeOptions DecodeOptions { get; }

    /// <inheritdoc />
    public override int Count => paths.Length;

    /// <inheritdoc />
    public override IReadOnlyList<string> ClassNames => classNames;

    /// <inheritdoc />
    public override SkippedFilesReport Skipped => skipped;

    /// <inheritdoc />
    public override int Label(int index)
    {
        CheckIndex(index);
        return labels[index];
    }

    /// <inheritdoc />
    public override string Name(int index)
    {
        CheckIndex(index);
        return paths[index];
    }

    /// <inheritdoc />
    public override RgbImage Load(int index)
    {
        CheckIndex(index);
        return ImageDecoder.DecodeFile(paths[index], DecodeOptions);
    }

    /// <summary>
    /// Checks candidate files in parallel as <paramref name="validation"/> says, records failures in
    /// <paramref name="skipped"/> and returns the good ones in their original order.
    /// </summary>
    protected static List<(string Path, int Label)> Validate(IReadOnlyList<(string Path, int Label)> candidates, HeaderValidation validation,
        ImageDecodeOptions decodeOptions, SkippedFilesReport skipped)
    {
        var errors = new string?[candidates.Count];
        if (validation != HeaderValidation.None)
        {
            Parallel.For(0, candidates.Count, i =>
            {
                try
                {
                    if (validation == HeaderValidation.FullDecode) ImageDecoder.DecodeFile(candidates[i].Path, decodeOptions);
                    else ImageDecoder.ReadInfoFile(candidates[i].Path, decodeOptions);
                }
                catch (InvalidImageException e)
                {
                    errors[i] = e.Reason;
                }
            });
        }
        var good = new List<(string, int)>(candidates.Count);
        for (var i = 0; i < candidates.Count; i++)
        {
            if (errors[i] is { } reason) skipped.Add(candidates[i].Path, reason, SkipStage.Open);
            else good.Add(candidates[i]);
        }
        return good;
    }

    /// <summary>Throws when fewer than two classes have images left after validation.</summary>
    protected static void CheckUsable(string root, IReadOnlyList<string> classNames, IReadOnlyList<(string Path, int Label)> files, SkippedFilesReport skipped)
    {
        if (files.Count == 0)
            throw new DatasetException(root, "no usable images" + (skipped.Count > 0 ? $" ({skipped.Count} files skipped:\n{skipped.Format()})" : ""));
        var counts = new int[classNames.Count];
        foreach (var f in files) counts[f.Label]++;
        for (var c = 0; c < counts.Length; c++)
        {
            if (counts[c] == 0)
                throw new DatasetException(root, $"class '{classNames[c]}' has no usable images" +
                    (skipped.Count > 0 ? $"; skipped files:\n{skipped.Format()}" : " (its folder is empty)"));
        }
    }
}
