using System.Buffers.Binary;

namespace SharpVision.Data;

/// <summary>
/// MNIST-style IDX files (images magic 0x00000803: count × rows × cols bytes; labels magic 0x00000801), raw or
/// gzipped, held in memory as 1-channel images.
/// </summary>
public sealed class IdxDataset : InMemoryImageDataset
{
    /// <summary>The Fashion-MNIST class names, in label order.</summary>
    public static IReadOnlyList<string> FashionMnistClassNames { get; } = new[]
    {
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
    };

    /// <summary>Debian's dataset-fashion-mnist location.</summary>
    public const string DebianFashionMnistFolder = "/usr/share/datasets/fashion-mnist";

    private IdxDataset(byte[] pixels, int[] labels, int width, int height, IReadOnlyList<string> classNames)
        : base(pixels, labels, width, height, 1, classNames, "idx")
    {
    }

    /// <summary>
    /// Reads an images file and a labels file. Class names default to "0".."9" (or up to the largest label).
    /// Throws <see cref="DatasetException"/> naming the file for a wrong magic, a size mismatch or count mismatch.
    /// </summary>
    public static IdxDataset Open(string imagesPath, string labelsPath, IReadOnlyList<string>? classNames = null)
    {
        var images = ReadMaybeGzip(imagesPath);
        var labelBytes = ReadMaybeGzip(labelsPath);
        if (images.Length < 16 || BinaryPrimitives.ReadUInt32BigEndian(images) != 0x00000803)
            throw new DatasetException(imagesPath, $"not an IDX image file (expected magic 0x00000803, got {(images.Length >= 4 ? "0x" + BinaryPrimitives.ReadUInt32BigEndian(images).ToString("X8") : images.Length + " bytes")})");
        if (labelBytes.Length < 8 || BinaryPrimitives.ReadUInt32BigEndian(labelBytes) != 0x00000801)
            throw new DatasetException(labelsPath, $"not an IDX label file (expected magic 0x00000801, got {(labelBytes.Length >= 4 ? "0x" + BinaryPrimitives.ReadUInt32BigEndian(labelBytes).ToString("X8") : labelBytes.Length + " bytes")})");
        var n = BinaryPrimitives.ReadInt32BigEndian(images.AsSpan(4));
        var rows = BinaryPrimitives.ReadInt32BigEndian(images.AsSpan(8));
        var cols = BinaryPrimitives.ReadInt32BigEndian(images.AsSpan(12));
        if (n <= 0 || rows <= 0 || cols <= 0) throw new DatasetException(imagesPath, $"invalid IDX header: {n} images of {rows}×{cols}");
        var expected = 16L + (long)n * rows * cols;
        if (images.Length != expected) throw new DatasetException(imagesPath, $"header declares {n} images of {rows}×{cols} = {expected} bytes, file has {images.Length} (truncated?)");
        var m = BinaryPrimitives.ReadInt32BigEndian(labelBytes.AsSpan(4));
        if (labelBytes.Length != 8L + m) throw new DatasetException(labelsPath, $"header declares {m} labels, file has {labelBytes.Length - 8} (truncated?)");
        if (m != n) throw new DatasetException(labelsPath, $"{m} labels for {n} images in {imagesPath}");

        var labels = new int[n];
        var max = 0;
        for (var i = 0; i < n; i++) max = Math.Max(max, labels[i] = labelBytes[8 + i]);
        classNames ??= Enumerable.Range(0, Math.Max(max + 1, 2)).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        if (max >= classNames.Count) throw new DatasetException(labelsPath, $"label {max} is outside the {classNames.Count} class names");
        return new IdxDataset(images.AsSpan(16).ToArray(), labels, cols, rows, classNames);
    }

    /// <summary>
    /// Fashion-MNIST from <paramref name="folder"/> (default: Debian's /usr/share/datasets/fashion-mnist):
    /// train-* (60,000 images) or t10k-* (10,000), .gz or raw.
    /// </summary>
    public static IdxDataset OpenFashionMnist(bool train, string? folder = null)
    {
        folder ??= DebianFashionMnistFolder;
        var prefix = train ? "train" : "t10k";
        string Pick(string name) => File.Exists(Path.Combine(folder, name + ".gz")) || !File.Exists(Path.Combine(folder, name))
            ? Path.Combine(folder, name + ".gz") : Path.Combine(folder, name);
        return Open(Pick($"{prefix}-images-idx3-ubyte"), Pick($"{prefix}-labels-idx1-ubyte"), FashionMnistClassNames);
    }
}
