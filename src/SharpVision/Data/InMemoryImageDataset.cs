using SharpVision.Imaging;

namespace SharpVision.Data;

/// <summary>Fixed-size images held in memory (H×W×C per image, back to back) with their labels. Base of IDX and CIFAR.</summary>
public abstract class InMemoryImageDataset : ImageDataset
{
    private readonly byte[] pixels;
    private readonly int[] labels;
    private readonly string[] classNames;
    private readonly string namePrefix;

    /// <summary>Creates the dataset; <paramref name="pixels"/> holds <paramref name="labels"/>.Length images of H×W×C bytes.</summary>
    protected InMemoryImageDataset(byte[] pixels, int[] labels, int width, int height, int channels, IReadOnlyList<string> classNames, string namePrefix)
    {
        if (pixels.LongLength != (long)labels.Length * width * height * channels)
            throw new ArgumentException($"{labels.Length} images of {width}×{height}×{channels} need {(long)labels.Length * width * height * channels} bytes, got {pixels.LongLength}");
        foreach (var l in labels)
            if ((uint)l >= (uint)classNames.Count) throw new ArgumentException($"label {l} is outside the {classNames.Count} classes");
        this.pixels = pixels;
        this.labels = labels;
        Width = width;
        Height = height;
        Channels = channels;
        this.classNames = classNames.ToArray();
        this.namePrefix = namePrefix;
    }

    /// <summary>Image width.</summary>
    public int Width { get; }

    /// <summary>Image height.</summary>
    public int Height { get; }

    /// <inheritdoc />
    public override int Channels { get; }

    /// <inheritdoc />
    public override int Count => labels.Length;

    /// <inheritdoc />
    public override IReadOnlyList<string> ClassNames => classNames;

    /// <inheritdoc />
    public override SkippedFilesReport Skipped { get; } = new();

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
        return namePrefix + ":" + index;
    }

    /// <inheritdoc />
    public override RgbImage Load(int index)
    {
        CheckIndex(index);
        var size = Width * Height * Channels;
        return new RgbImage(Width, Height, Channels, pixels.AsSpan(index * size, size).ToArray());
    }

    /// <summary>A file's bytes, gunzipped when it starts with the gzip magic; read errors become <see cref="DatasetException"/>.</summary>
    protected static byte[] ReadMaybeGzip(string path)
    {
        try
        {
            var raw = File.ReadAllBytes(path);
            if (raw.Length < 2 || raw[0] != 0x1F || raw[1] != 0x8B) return raw;
            using var gz = new System.IO.Compression.GZipStream(new MemoryStream(raw), System.IO.Compression.CompressionMode.Decompress);
            using var output = new MemoryStream();
            gz.CopyTo(output);
            return output.ToArray();
        }
        catch (FileNotFoundException e) { throw new DatasetException(path, "file not found", e); }
        catch (DirectoryNotFoundException e) { throw new DatasetException(path, "file not found", e); }
        catch (InvalidDataException e) { throw new DatasetException(path, "corrupt gzip data: " + e.Message, e); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new DatasetException(path, "cannot read: " + e.Message, e); }
    }
}
