namespace SharpVision.Data;

/// <summary>
/// The Food-101 layout: root/images/&lt;class&gt;/&lt;id&gt;.jpg, root/meta/train.txt and root/meta/test.txt (one
/// "&lt;class&gt;/&lt;id&gt;" per line) and root/meta/classes.txt. Listed images that are missing or broken are
/// skipped and reported.
/// </summary>
public sealed class Food101Dataset : FileImageDataset
{
    private Food101Dataset(string root, IReadOnlyList<string> classNames, IReadOnlyList<(string, int)> files, SkippedFilesReport skipped, ImageFolderOptions options)
        : base(root, classNames, files, skipped, options.DecodeOptions)
    {
    }

    /// <summary>
    /// Opens split <paramref name="split"/> ("train" or "test"), optionally only some classes
    /// (<see cref="ImageFolderOptions.Classes"/> or <paramref name="classes"/>). Throws <see cref="DatasetException"/>
    /// when the folder or a meta file is missing or unreadable, a line is malformed, or a requested class is unknown.
    /// </summary>
    public static Food101Dataset Open(string root, string split = "train", IReadOnlyList<string>? classes = null, ImageFolderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(root);
        options ??= new ImageFolderOptions();
        classes ??= options.Classes;
        if (split is not ("train" or "test")) throw new ArgumentException($"split must be \"train\" or \"test\", got \"{split}\"", nameof(split));
        root = Path.GetFullPath(root);
        if (!Directory.Exists(root)) throw new DatasetException(root, "Food-101 folder not found");
        var meta = Path.Combine(root, "meta");
        var images = Path.Combine(root, "images");
        if (!Directory.Exists(images)) throw new DatasetException(images, "Food-101 images folder not found (expected images/<class>/<id>.jpg)");

        var listFile = Path.Combine(meta, split + ".txt");
        var lines = ReadLines(listFile);
        var classesFile = Path.Combine(meta, "classes.txt");
        List<string> allClasses;
        if (File.Exists(classesFile))
        {
            allClasses = ReadLines(classesFile).ToList();
        }
        else
        {
            allClasses = lines.Select(l => l.Split('/')[0]).Distinct(StringComparer.Ordinal).OrderBy(c => c, StringComparer.Ordinal).ToList();
        }

        var chosen = classes?.ToList() ?? allClasses;
        foreach (var c in chosen)
            if (!allClasses.Contains(c, StringComparer.Ordinal))
                throw new DatasetException(classesFile, $"unknown class '{c}'");
        if (chosen.Count < 2) throw new DatasetException(root, $"{chosen.Count} class(es) selected; a classification dataset needs at least 2");
        var labelOf = chosen.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.Ordinal);

        var skipped = new SkippedFilesReport();
        var candidates = new List<(string, int)>();
        for (var n = 0; n < lines.Length; n++)
        {
            var line = lines[n];
            var slash = line.IndexOf('/');
            if (slash <= 0 || slash == line.Length - 1)
                throw new DatasetException(listFile, $"line {n + 1}: expected \"<class>/<id>\", got \"{line}\"");
            var cls = line[..slash];
            if (!allClasses.Contains(cls, StringComparer.Ordinal))
                throw new DatasetException(listFile, $"line {n + 1}: class '{cls}' is not in {Path.GetFileName(classesFile)}");
            if (!labelOf.TryGetValue(cls, out var label)) continue;
            var path = Path.Combine(images, line.Replace('/', Path.DirectorySeparatorChar) + ".jpg");
            if (!File.Exists(path)) skipped.Add(path, $"listed in meta/{split}.txt but missing", SkipStage.Open);
            else candidates.Add((path, label));
        }
        var good = Validate(candidates, options.Validation, options.DecodeOptions, skipped);
        CheckUsable(root, chosen, good, skipped);
        return new Food101Dataset(root, chosen, good, skipped, options);
    }

    private static string[] ReadLines(string path)
    {
        try
        {
            return File.ReadAllLines(path).Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DatasetException(path, e is FileNotFoundException or DirectoryNotFoundException
                ? "Food-101 meta file not found" : "cannot read Food-101 meta file: " + e.Message, e);
        }
    }
}
