using System.Globalization;

namespace SharpVision.Data;

/// <summary>Which CIFAR binary format and label to use.</summary>
public enum CifarVariant
{
    /// <summary>CIFAR-10: 1 label byte + 3072 pixel bytes per record.</summary>
    Cifar10 = 0,
    /// <summary>CIFAR-100 with its 100 fine labels (records: coarse byte, fine byte, 3072 pixel bytes).</summary>
    Cifar100Fine = 1,
    /// <summary>CIFAR-100 with its 20 coarse (superclass) labels.</summary>
    Cifar100Coarse = 2,
}

/// <summary>CIFAR-10/100 binary files (32×32 RGB stored as 1024 R, 1024 G, 1024 B), held in memory as RGB images.</summary>
public sealed class CifarDataset : InMemoryImageDataset
{
    private const int Side = 32;
    private const int Plane = Side * Side;

    /// <summary>The CIFAR-10 class names, in label order.</summary>
    public static IReadOnlyList<string> Cifar10ClassNames { get; } = new[]
    {
        "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck",
    };

    private CifarDataset(byte[] pixels, int[] labels, IReadOnlyList<string> classNames) : base(pixels, labels, Side, Side, 3, classNames, "cifar")
    {
    }

    /// <summary>
    /// Reads binary batch files (e.g. data_batch_1.bin … data_batch_5.bin, or train.bin) in order. Class names default
    /// to the CIFAR-10 names, or "0".."99"/"0".."19" for CIFAR-100. Throws <see cref="DatasetException"/> when a
    /// file's size is not a whole number of records or a label is out of range.
    /// </summary>
    public static CifarDataset Open(IReadOnlyList<string> files, CifarVariant variant = CifarVariant.Cifar10, IReadOnlyList<string>? classNames = null)
    {
        ArgumentNullException.ThrowIfNull(files);
        if (files.Count == 0) throw new ArgumentException("no CIFAR files given", nameof(files));
        var labelBytes = variant == CifarVariant.Cifar10 ? 1 : 2;
        var record = labelBytes + 3 * Plane;
        var classCount = variant switch { CifarVariant.Cifar10 => 10, CifarVariant.Cifar100Fine => 100, _ => 20 };
        classNames ??= variant == CifarVariant.Cifar10
            ? Cifar10ClassNames
            : Enumerable.Range(0, classCount).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
        if (classNames.Count != classCount) throw new ArgumentException($"{variant} has {classCount} classes, {classNames.Count} names given", nameof(classNames));

        var raw = files.Select(f => (Path: f, Bytes: ReadMaybeGzip(f))).ToList();
        foreach (var (path, bytes) in raw)
            if (bytes.Length == 0 || bytes.Length % record != 0)
                throw new DatasetException(path, $"size {bytes.Length} is not a multiple of the {record}-byte {variant} record (wrong variant or truncated file?)");
        var total = raw.Sum(r => r.Bytes.Length / record);
        var pixels = new byte[(long)total * 3 * Plane];
        var labels = new int[total];
        var n = 0;
        foreach (var (path, bytes) in raw)
        {
            for (var off = 0; off < bytes.Length; off += record, n++)
            {
                var label = variant == CifarVariant.Cifar100Coarse ? bytes[off] : bytes[off + labelBytes - 1];
                if (label >= classCount) throw new DatasetException(path, $"record {off / record}: label {label} is outside the {classCount} classes");
                labels[n] = label;
                // Planar CHW → interleaved HWC.
                var src = off + labelBytes;
                var dst = (long)n * 3 * Plane;
                for (var p = 0; p < Plane; p++)
                {
                    pixels[dst + p * 3] = bytes[src + p];
                    pixels[dst + p * 3 + 1] = bytes[src + Plane + p];
                    pixels[dst + p * 3 + 2] = bytes[src + 2 * Plane + p];
                }
            }
        }
        return new CifarDataset(pixels, labels, classNames);
    }
}
