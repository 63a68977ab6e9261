namespace SharpVision.Data;

/// <summary>
/// Every image under one folder (recursively, sorted by relative path) with a single label: a set of images of none of
/// a model's classes for open-set evaluation, or any unlabelled folder. Other files are reported in
/// <see cref="ImageDataset.Skipped"/>.
/// </summary>
public sealed class ImageFilesDataset : FileImageDataset
{
    private ImageFilesDataset(string root, string label, IReadOnlyList<(string, int)> files, SkippedFilesReport skipped, ImageFolderOptions options)
        : base(root, [label], files, skipped, options.DecodeOptions)
    {
    }

    /// <summary>
    /// Scans and validates the folder; every image gets class <paramref name="label"/>. Throws
    /// <see cref="DatasetException"/> (naming the path) when the folder is missing or holds no usable image.
    /// </summary>
    public static ImageFilesDataset Open(string root, string label = "unknown", ImageFolderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(root);
        options ??= new ImageFolderOptions();
        root = Path.GetFullPath(root);
        if (File.Exists(root)) throw new DatasetException(root, "is a file, expected a folder of images");
        if (!Directory.Exists(root)) throw new DatasetException(root, "image folder not found");
        var skipped = new SkippedFilesReport();
        var extensions = new HashSet<string>(options.Extensions, StringComparer.OrdinalIgnoreCase);
        var candidates = new List<(string, int)>();
        foreach (var f in Directory.GetFiles(root, "*", SearchOption.AllDirectories).OrderBy(f => Path.GetRelativePath(root, f), StringComparer.Ordinal))
        {
            var ext = Path.GetExtension(f);
            if (extensions.Contains(ext)) candidates.Add((f, 0));
            else skipped.Add(f, ext.Length == 0 ? "unsupported format: no file extension" : $"unsupported format: {ext.ToLowerInvariant()}", SkipStage.Open);
        }
        var good = Validate(candidates, options.Validation, options.DecodeOptions, skipped);
        if (good.Count == 0)
            throw new DatasetException(root, "no usable image (.jpg/.jpeg/.png/.webp) in the folder" + (skipped.Count > 0 ? $"; skipped:{Environment.NewLine}{skipped.Format()}" : ""));
        return new ImageFilesDataset(root, label, good, skipped, options);
    }
}
