namespace SharpVision.Data;

/// <summary>
/// A folder with one sub-folder per class (root/&lt;class&gt;/**/*.jpg|png), like torchvision's ImageFolder. Classes are
/// sorted ordinally and files by relative path, so indices are stable. Every other file inside a class folder is
/// reported in <see cref="ImageDataset.Skipped"/> rather than silently ignored.
/// </summary>
public sealed class ImageFolderDataset : FileImageDataset
{
    private ImageFolderDataset(string root, IReadOnlyList<string> classNames, IReadOnlyList<(string, int)> files, SkippedFilesReport skipped, ImageFolderOptions options)
        : base(root, classNames, files, skipped, options.DecodeOptions)
    {
    }

    /// <summary>
    /// Scans and validates the folder. Throws <see cref="DatasetException"/> (naming the path) when the folder or a
    /// requested class is missing, there are fewer than two classes, or a class has no usable image.
    /// </summary>
    public static ImageFolderDataset Open(string root, ImageFolderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(root);
        options ??= new ImageFolderOptions();
        root = Path.GetFullPath(root);
        if (File.Exists(root)) throw new DatasetException(root, "is a file, expected a folder with one sub-folder per class");
        if (!Directory.Exists(root)) throw new DatasetException(root, "dataset folder not found");

        var skipped = new SkippedFilesReport();
        var allClasses = Directory.GetDirectories(root).Select(Path.GetFileName).OfType<string>()
            .Where(n => !n.StartsWith('.')).OrderBy(n => n, StringComparer.Ordinal).ToList();
        List<string> classes;
        if (options.Classes is { } wanted)
        {
            var dup = wanted.GroupBy(c => c, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
            if (dup is not null) throw new DatasetException(root, $"class '{dup.Key}' is listed twice");
            foreach (var c in wanted)
                if (!allClasses.Contains(c, StringComparer.Ordinal))
                    throw new DatasetException(Path.Combine(root, c), $"class folder not found (classes present: {string.Join(", ", allClasses)})");
            classes = wanted.ToList();
        }
        else
        {
            classes = allClasses;
        }
        if (classes.Count < 2)
            throw new DatasetException(root, $"found {classes.Count} class folder(s){(classes.Count == 1 ? " ('" + classes[0] + "')" : "")}; " +
                "a classification dataset needs at least 2 (one sub-folder per class)");

        foreach (var file in Directory.GetFiles(root).OrderBy(f => f, StringComparer.Ordinal))
            skipped.Add(file, "not inside a class folder", SkipStage.Open);

        var extensions = new HashSet<string>(options.Extensions, StringComparer.OrdinalIgnoreCase);
        var candidates = new List<(string, int)>();
        for (var label = 0; label < classes.Count; label++)
        {
            var dir = Path.Combine(root, classes[label]);
            var files = Directory.GetFiles(dir, "*", SearchOption.AllDirectories)
                .OrderBy(f => Path.GetRelativePath(dir, f), StringComparer.Ordinal);
            var any = false;
            foreach (var f in files)
            {
                any = true;
                var ext = Path.GetExtension(f);
                if (extensions.Contains(ext)) candidates.Add((f, label));
                else skipped.Add(f, ext.Length == 0 ? "unsupported format: no file extension" : $"unsupported format: {ext.ToLowerInvariant()}", SkipStage.Open);
            }
            if (!any) throw new DatasetException(dir, $"class folder '{classes[label]}' is empty");
        }
        if (candidates.Count == 0)
            throw new DatasetException(root, $"no images (.jpg/.jpeg/.png/.webp) in any class folder" + (skipped.Count > 0 ? $"; skipped:\n{skipped.Format()}" : ""));

        var good = Validate(candidates, options.Validation, options.DecodeOptions, skipped);
        CheckUsable(root, classes, good, skipped);
        return new ImageFolderDataset(root, classes, good, skipped, options);
    }
}
