using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SharpVision.Data;
using SharpVision.Engine;
using SharpVision.Engine.IO;
using SharpVision.Models;

namespace SharpVision.Transfer.Features;

/// <summary>
/// What identifies a <see cref="FeatureCache"/> file: the fingerprints of the backbone weights and of the dataset's
/// content, and the settings that shape the features. A cache whose key differs from the configuration's is stale
/// and rebuilt (<see cref="StaleReason"/> says why).
/// </summary>
public static class FeatureCacheKey
{
    /// <summary>Why the cache file at <paramref name="path"/> does not match <paramref name="expected"/> (null when it does).</summary>
    public static string? StaleReason(string path, IReadOnlyDictionary<string, string> expected)
    {
        IReadOnlyDictionary<string, string> actual;
        try
        {
            using var file = SafeTensorsFile.Open(path);
            actual = file.Metadata;
        }
        catch (InvalidDataException e)
        {
            return "unreadable: " + e.Message;
        }
        foreach (var (k, v) in expected)
        {
            if (!actual.TryGetValue(k, out var have)) return $"'{k}' is missing";
            if (have != v) return DescribeChange(k);
        }
        // A key only some configurations carry (feature taps) must not be ignored when this one lacks it.
        foreach (var k in actual.Keys)
        {
            if (!expected.ContainsKey(k)) return $"'{k}' is set in the cache but not in this configuration";
        }
        return null;
    }

    private static string DescribeChange(string key) => key switch
    {
        "weights_sha256" => "the backbone weights changed",
        "dataset_sha256" => "the dataset changed (files added, removed, resized or relabelled)",
        "model" => "another model",
        _ => $"'{key}' changed",
    };

    /// <summary>
    /// The identifying metadata a cache of <paramref name="dataset"/> through <paramref name="model"/> must carry:
    /// format, model label, SHA-256 of the backbone tensors, dataset fingerprint, classes, input size, resizing,
    /// normalisation, the feature taps if any, and (with augmented passes) the augmentation, pass count and seed.
    /// </summary>
    public static Dictionary<string, string> Compute(IClassifierModel model, ImageDataset dataset, ImagePreprocessor preprocessor,
        Normalization normalization, FeatureCacheOptions options)
    {
        var key = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["format"] = FeatureCache.Format,
            ["model"] = options.ModelName.Length > 0 ? options.ModelName : model.Model.GetType().Name,
            ["weights_sha256"] = BackboneHash(model),
            ["dataset_sha256"] = DatasetFingerprint(dataset),
            ["images"] = dataset.Count.ToString(CultureInfo.InvariantCulture),
            ["classes"] = JsonSerializer.Serialize(dataset.ClassNames),
            ["input"] = string.Create(CultureInfo.InvariantCulture, $"{dataset.Channels}x{preprocessor.Height}x{preprocessor.Width}"),
            ["resize"] = string.Create(CultureInfo.InvariantCulture, $"{preprocessor.Mode},crop={preprocessor.CropFraction:R},pad={preprocessor.PadValue}"),
            ["normalization"] = JsonSerializer.Serialize(normalization.ToMap()),
            ["augmented_passes"] = options.AugmentedPasses.ToString(CultureInfo.InvariantCulture),
        };
        if (model.FeatureTapPaths.Count > 0) key["feature_taps"] = string.Join(",", model.FeatureTapPaths);
        if (options.AugmentedPasses > 0)
        {
            key["augmentation"] = options.Augmentation!.ToString();
            key["seed"] = options.Seed.ToString(CultureInfo.InvariantCulture);
        }
        return key;
    }

    /// <summary>SHA-256 (hex) over the names, shapes and bytes of every backbone parameter and buffer (the head and num_batches_tracked excluded).</summary>
    public static string BackboneHash(IClassifierModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var heads = model.HeadPaths;
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var state = model.Model.StateDict();
        try
        {
            foreach (var (name, t) in state.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                if (heads.Any(h => name.StartsWith(h + ".", StringComparison.Ordinal)) || name.EndsWith("num_batches_tracked", StringComparison.Ordinal)) continue;
                sha.AppendData(Encoding.UTF8.GetBytes($"{name}:{t.DType}:{string.Join("x", t.Shape)};"));
                using var cpu = t.To(Device.Cpu);
                using var contiguous = cpu.Contiguous();
                sha.AppendData(contiguous.ToBytes());
            }
        }
        finally
        {
            foreach (var t in state.Values) t.Dispose();
        }
        return Convert.ToHexString(sha.GetHashAndReset()).ToLowerInvariant();
    }

    /// <summary>
    /// SHA-256 (hex) identifying a dataset's content: class names, and per image its name and label plus, for files,
    /// size and a SHA-256 of the bytes (reading 10 MB of small JPEGs takes well under a second), or, for in-memory
    /// images, the pixels.
    /// </summary>
    public static string DatasetFingerprint(ImageDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes(string.Join("\n", dataset.ClassNames) + "\n\n"));
        for (var i = 0; i < dataset.Count; i++)
        {
            var name = dataset.Name(i);
            var info = new FileInfo(name);
            string line;
            // The file's bytes, not its timestamp: a copy, a re-sync or a touch keeps the cache (a rebuild of a 224 px
            // cache costs minutes), while any edit, even one that keeps size and time, invalidates it.
            if (info.Exists) line = string.Create(CultureInfo.InvariantCulture, $"{name}|{dataset.Label(i)}|{info.Length}|{FileHash(name)}\n");
            else
            {
                line = string.Create(CultureInfo.InvariantCulture, $"{name}|{dataset.Label(i)}|");
                try
                {
                    var image = dataset.Load(i);
                    sha.AppendData(Encoding.UTF8.GetBytes($"{image.Width}x{image.Height}x{image.Channels}"));
                    sha.AppendData(image.Pixels);
                }
                catch (Imaging.InvalidImageException)
                {
                    line += "undecodable";
                }
                line += "\n";
            }
            sha.AppendData(Encoding.UTF8.GetBytes(line));
        }
        return Convert.ToHexString(sha.GetHashAndReset()).ToLowerInvariant();
    }

    private static string FileHash(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        return Convert.ToHexString(SHA256.HashData(stream));
    }
}
