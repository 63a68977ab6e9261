namespace SharpVision.Data;

/// <summary>Opens a dataset from a path and a format (or detects the format), as the command line does.</summary>
public static class DatasetOpener
{
    /// <summary>The accepted format names for error messages and help.</summary>
    public const string FormatNames = "auto, folder, food101, idx, cifar10, cifar100";

    /// <summary>Parses a format name.</summary>
    /// <exception cref="FormatException">Unknown name; the message lists the valid ones.</exception>
    public static DatasetFormat ParseFormat(string name) => name.Trim().ToLowerInvariant() switch
    {
        "" or "auto" => DatasetFormat.Auto,
        "folder" or "imagefolder" => DatasetFormat.Folder,
        "food101" or "food-101" => DatasetFormat.Food101,
        "idx" or "mnist" or "fashion-mnist" => DatasetFormat.Idx,
        "cifar" or "cifar10" or "cifar-10" => DatasetFormat.Cifar10,
        "cifar100" or "cifar-100" => DatasetFormat.Cifar100,
        _ => throw new FormatException($"unknown dataset format '{name}'; valid formats: {FormatNames}"),
    };

    /// <summary>
    /// Opens <paramref name="path"/>. <paramref name="split"/> ("train" or "test") picks the split of formats that
    /// hold both (Food-101 meta files, IDX train/t10k files, CIFAR batches, or train/ and test/ subfolders).
    /// </summary>
    /// <exception cref="DatasetException">Missing path, unrecognised layout, or a broken dataset; names the path.</exception>
    public static ImageDataset Open(string path, DatasetFormat format = DatasetFormat.Auto, string split = "train",
        IReadOnlyList<string>? classes = null, ImageFolderOptions? folderOptions = null)
    {
        if (split is not ("train" or "test")) throw new ArgumentException($"split must be 'train' or 'test', got '{split}'", nameof(split));
        if (!Directory.Exists(path) && !File.Exists(path)) throw new DatasetException(path, "no such folder or file");
        if (format == DatasetFormat.Auto) format = Detect(path);
        switch (format)
        {
            case DatasetFormat.Food101:
                return Food101Dataset.Open(path, split, classes, folderOptions);
            case DatasetFormat.Idx:
            {
                var prefix = split == "train" ? "train" : "t10k";
                var images = Find(path, $"{prefix}-images-idx3-ubyte");
                var labels = Find(path, $"{prefix}-labels-idx1-ubyte");
                var names = path.Contains("fashion", StringComparison.OrdinalIgnoreCase) ? IdxDataset.FashionMnistClassNames : null;
                return IdxDataset.Open(images, labels, names);
            }
            case DatasetFormat.Cifar10:
            {
                var files = split == "train"
                    ? Enumerable.Range(1, 5).Select(i => Path.Combine(path, $"data_batch_{i}.bin")).Where(File.Exists).ToList()
                    : new List<string> { Path.Combine(path, "test_batch.bin") };
                if (files.Count == 0 || !files.All(File.Exists)) throw new DatasetException(path, $"no CIFAR-10 {split} batches (data_batch_N.bin / test_batch.bin) found");
                return CifarDataset.Open(files, CifarVariant.Cifar10);
            }
            case DatasetFormat.Cifar100:
            {
                var file = Path.Combine(path, split + ".bin");
                if (!File.Exists(file)) throw new DatasetException(path, $"no CIFAR-100 file {split}.bin found");
                return CifarDataset.Open(new[] { file }, CifarVariant.Cifar100Fine);
            }
            default:
            {
                var root = path;
                var sub = Path.Combine(path, split);
                if (Directory.Exists(Path.Combine(path, "train")) && Directory.Exists(Path.Combine(path, "test")) && Directory.Exists(sub)) root = sub;
                var options = folderOptions ?? new ImageFolderOptions();
                if (classes is not null) options = options with { Classes = classes };
                return ImageFolderDataset.Open(root, options);
            }
        }
    }

    /// <summary>Guesses the layout of a folder.</summary>
    public static DatasetFormat Detect(string path)
    {
        if (File.Exists(path)) throw new DatasetException(path, "expected a folder; give the folder that holds the dataset files");
        if (Directory.Exists(Path.Combine(path, "meta")) && Directory.Exists(Path.Combine(path, "images"))) return DatasetFormat.Food101;
        var files = Directory.GetFiles(path).Select(Path.GetFileName).ToList();
        if (files.Any(f => f!.Contains("-images-idx3-ubyte", StringComparison.Ordinal))) return DatasetFormat.Idx;
        if (files.Any(f => f!.StartsWith("data_batch_", StringComparison.Ordinal))) return DatasetFormat.Cifar10;
        if (files.Contains("train.bin") && files.Contains("test.bin")) return DatasetFormat.Cifar100;
        return DatasetFormat.Folder;
    }

    private static string Find(string folder, string name)
    {
        foreach (var candidate in new[] { name + ".gz", name, name.Replace("-idx", ".idx", StringComparison.Ordinal) })
        {
            var p = Path.Combine(folder, candidate);
            if (File.Exists(p)) return p;
        }
        throw new DatasetException(folder, $"IDX file {name}(.gz) not found");
    }
}
