using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using SharpVision.Data;
using SharpVision.Engine;
using SharpVision.Engine.IO;
using SharpVision.Models;
using SharpVision.Training;

namespace SharpVision.Transfer.Features;

/// <summary>
/// Pooled backbone features of a whole dataset, computed once (eval mode, no autograd, batched) so that a new head
/// trains in seconds per epoch instead of running the frozen backbone every step. Holds the clean pass [N, D], optional
/// augmented passes (K × [N, D]), the labels and the dataset indices. Saved as one safetensors file whose metadata
/// identifies (<see cref="FeatureCacheKey"/>) the backbone weights (SHA-256 of the tensors), the dataset (names, sizes, dates, labels), the input size,
/// resizing, normalisation and augmentation, so that a stale cache is detected and rebuilt.
/// </summary>
public sealed class FeatureCache : IDisposable
{
    /// <summary>The metadata "format" value.</summary>
    public const string Format = "sharpvision-feature-cache-v1";

    private readonly List<Tensor> augmented;

    private FeatureCache(Tensor features, IReadOnlyList<Tensor> augmented, Tensor labels, int[] indices, IReadOnlyList<string> classNames,
        IReadOnlyDictionary<string, string> key, string? path, bool loadedFromFile, TimeSpan extractionTime)
    {
        Features = features.DetachFromDisposeScope();
        this.augmented = augmented.Select(a => a.DetachFromDisposeScope()).ToList();
        Labels = labels.DetachFromDisposeScope();
        Indices = indices;
        ClassNames = classNames;
        Key = key;
        Path = path;
        LoadedFromFile = loadedFromFile;
        ExtractionTime = extractionTime;
    }

    /// <summary>Clean-pass features, float32 [N, D] on the CPU.</summary>
    public Tensor Features { get; }

    /// <summary>Augmented passes, each float32 [N, D] (rows aligned with <see cref="Features"/>).</summary>
    public IReadOnlyList<Tensor> AugmentedFeatures => augmented;

    /// <summary>Labels, int64 [N].</summary>
    public Tensor Labels { get; }

    /// <summary>The dataset index of each row (images that failed to decode are left out).</summary>
    public IReadOnlyList<int> Indices { get; }

    /// <summary>Class names, index = label.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>The identifying metadata (model weights, dataset, preprocessing, augmentation).</summary>
    public IReadOnlyDictionary<string, string> Key { get; }

    /// <summary>The cache file, or null for an in-memory cache.</summary>
    public string? Path { get; }

    /// <summary>True when the features came from an up-to-date cache file rather than the backbone.</summary>
    public bool LoadedFromFile { get; }

    /// <summary>Time spent running the backbone (zero when loaded from file).</summary>
    public TimeSpan ExtractionTime { get; }

    /// <summary>Rows.</summary>
    public int Count => (int)Features.Shape[0];

    /// <summary>Feature width D.</summary>
    public int FeatureDim => (int)Features.Shape[1];

    /// <summary>Number of augmented passes K.</summary>
    public int AugmentedPasses => augmented.Count;

    /// <summary>
    /// Returns the features of <paramref name="dataset"/> through <paramref name="model"/>'s backbone
    /// (<see cref="IClassifierModel.ForwardFeatures"/>): loaded from <see cref="FeatureCacheOptions.CachePath"/> when that
    /// file is up to date, otherwise computed (clean pass plus K augmented passes) and written there. The model is run in
    /// eval mode without autograd; its train/eval flags are restored afterwards.
    /// </summary>
    /// <exception cref="ArgumentException">Augmented passes without an augmentation spec, or a dataset without images.</exception>
    public static FeatureCache Build(IClassifierModel model, ImageDataset dataset, ImagePreprocessor preprocessor, Normalization normalization,
        FeatureCacheOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(preprocessor);
        ArgumentNullException.ThrowIfNull(normalization);
        options ??= new FeatureCacheOptions();
        if (options.AugmentedPasses < 0) throw new ArgumentOutOfRangeException(nameof(options), options.AugmentedPasses, "AugmentedPasses must be ≥ 0");
        if (options.AugmentedPasses > 0 && (options.Augmentation is null || options.Augmentation.IsIdentity))
            throw new ArgumentException("AugmentedPasses > 0 needs an Augmentation spec that changes images", nameof(options));
        if (dataset.Count == 0) throw new ArgumentException("the dataset has no images", nameof(dataset));
        var log = options.Log ?? (_ => { });

        var key = FeatureCacheKey.Compute(model, dataset, preprocessor, normalization, options);
        if (options.CachePath is { } path && File.Exists(path))
        {
            var reason = FeatureCacheKey.StaleReason(path, key);
            if (reason is null)
            {
                log($"feature cache {path} is up to date; loading it");
                return Load(path);
            }
            log($"feature cache {path} is stale ({reason}); rebuilding");
        }

        var sw = Stopwatch.StartNew();
        var (features, passes, labels, indices) = Extract(model, dataset, preprocessor, normalization, options, log);
        var cache = new FeatureCache(features, passes, labels, indices, dataset.ClassNames.ToArray(), key, options.CachePath, false, sw.Elapsed);
        log(string.Create(CultureInfo.InvariantCulture,
            $"extracted {cache.Count} × {cache.FeatureDim} features ({1 + cache.AugmentedPasses} pass(es)) in {sw.Elapsed.TotalSeconds:0.0} s"));
        if (options.CachePath is { } target) cache.Save(target);
        return cache;
    }

    /// <summary>
    /// The rows of some of this cache's images as an in-memory cache, so that one cache of a whole dataset serves any
    /// part of it (the training and validation sides of a split, every cross-validation fold). Image <c>i</c> of the part
    /// is the cache's dataset image <c>datasetIndices[i]</c>; the result's <see cref="Indices"/> count in the part, as a
    /// cache built on the part itself would, and images the cache lacks (undecodable) are left out the same way.
    /// </summary>
    /// <param name="datasetIndices">For each image of the part, its index in the dataset this cache was built from.</param>
    /// <param name="withAugmentedPasses">False: the clean pass only (validation never uses augmented passes).</param>
    public FeatureCache Select(IReadOnlyList<int> datasetIndices, bool withAugmentedPasses = true)
    {
        ArgumentNullException.ThrowIfNull(datasetIndices);
        var rowOf = new Dictionary<int, int>(Indices.Count);
        for (var r = 0; r < Indices.Count; r++) rowOf[Indices[r]] = r;
        var rows = new List<long>(datasetIndices.Count);
        var kept = new List<int>(datasetIndices.Count);
        for (var i = 0; i < datasetIndices.Count; i++)
        {
            if (!rowOf.TryGetValue(datasetIndices[i], out var row)) continue;
            rows.Add(row);
            kept.Add(i);
        }
        if (rows.Count == 0) throw new ArgumentException("none of these images is in the cache", nameof(datasetIndices));
        using var scope = Torch.NewDisposeScope();
        var index = Tensor.FromArray(rows.ToArray());
        var passes = withAugmentedPasses ? augmented.Select(a => a.IndexSelect(0, index)).ToList() : new List<Tensor>();
        var key = new Dictionary<string, string>(Key, StringComparer.Ordinal) { ["images"] = rows.Count.ToString(CultureInfo.InvariantCulture) };
        key.Remove("dataset_sha256"); // the part is not the fingerprinted dataset; an in-memory selection is never saved as if it were
        key["augmented_passes"] = passes.Count.ToString(CultureInfo.InvariantCulture);
        return new FeatureCache(Features.IndexSelect(0, index), passes, Labels.IndexSelect(0, index), kept.ToArray(), ClassNames, key,
            path: null, LoadedFromFile, ExtractionTime);
    }

    /// <summary>Reads a cache file (without checking that it is up to date: <see cref="Build"/> does that).</summary>
    /// <exception cref="InvalidDataException">Not a feature cache, or its tensors are inconsistent; names the file.</exception>
    public static FeatureCache Load(string path)
    {
        var (tensors, metadata) = SafeTensors.Load(path);
        try
        {
            if (!metadata.TryGetValue("format", out var f) || f != Format)
                throw new InvalidDataException($"{path}: not a SharpVision feature cache (format '{f ?? "missing"}')");
            var features = Take(tensors, "features", path);
            var labels = Take(tensors, "labels", path);
            var indexTensor = Take(tensors, "indices", path);
            var passes = int.Parse(metadata.GetValueOrDefault("augmented_passes", "0"), CultureInfo.InvariantCulture);
            var aug = new List<Tensor>();
            for (var k = 0; k < passes; k++) aug.Add(Take(tensors, $"augmented.{k}", path));
            var n = features.Shape[0];
            if (features.Dim != 2 || labels.Shape.SequenceEqual(new[] { n }) is false || indexTensor.NumberOfElements != n || aug.Any(a => !a.Shape.SequenceEqual(features.Shape)))
                throw new InvalidDataException($"{path}: inconsistent shapes (features [{string.Join(", ", features.Shape)}], labels [{string.Join(", ", labels.Shape)}])");
            var classes = JsonSerializer.Deserialize<string[]>(metadata.GetValueOrDefault("classes", "[]")) ?? Array.Empty<string>();
            var indices = indexTensor.ToArray<long>().Select(i => (int)i).ToArray();
            var key = metadata.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
            var cache = new FeatureCache(features, aug, labels, indices, classes, key, path, true, TimeSpan.Zero);
            indexTensor.Dispose();
            return cache;
        }
        catch
        {
            foreach (var t in tensors.Values) t.Dispose();
            throw;
        }
    }

    /// <summary>Writes the cache atomically (features, augmented passes, labels, indices, identifying metadata).</summary>
    public void Save(string path)
    {
        var items = new List<KeyValuePair<string, Tensor>>
        {
            new("features", Features),
            new("labels", Labels),
        };
        using var idx = Tensor.FromArray(Indices.Select(i => (long)i).ToArray());
        items.Add(new("indices", idx));
        for (var k = 0; k < augmented.Count; k++) items.Add(new($"augmented.{k}", augmented[k]));
        SafeTensors.Save(path, items, Key);
    }

    private static (Tensor Features, List<Tensor> Passes, Tensor Labels, int[] Indices) Extract(IClassifierModel model, ImageDataset dataset,
        ImagePreprocessor preprocessor, Normalization normalization, FeatureCacheOptions options, Action<string> log)
    {
        var loader = new DataLoader(dataset, preprocessor, new DataLoaderOptions
        {
            BatchSize = options.BatchSize,
            Shuffle = false,
            Workers = options.Workers,
            CacheImages = options.AugmentedPasses > 0, // decode and resize once for all passes
        });
        var pipeline = new StandardInputPipeline(options.Device, normalization, options.Augmentation);
        var flags = model.Model.NamedModules().Select(m => (m.Module, m.Module.Training)).ToList();
        model.Model.Eval();
        var results = new List<Tensor>();
        try
        {
            using var noGrad = Torch.NoGrad();
            int[]? firstIndices = null;
            long[]? firstLabels = null;
            for (var pass = 0; pass <= options.AugmentedPasses; pass++)
            {
                using var generator = new Generator(Trainer.SplitMix(options.Seed ^ (0xFEA7UL + (ulong)pass * 0x9E3779B97F4A7C15UL)));
                var chunks = new List<Tensor>();
                var indices = new List<int>();
                var labels = new List<long>();
                var sw = Stopwatch.StartNew();
                var batches = 0;
                try
                {
                    foreach (var batch in loader.GetBatches(0))
                    {
                        using (batch)
                        using (var scope = Torch.NewDisposeScope())
                        {
                            var x = pipeline.Prepare(batch.Inputs, training: pass > 0, generator);
                            var f = model.ForwardFeatures(x);
                            if (f.Dim != 2) throw new InvalidOperationException($"ForwardFeatures returned shape [{string.Join(", ", f.Shape)}]; expected [N, D]");
                            chunks.Add(f.To(Device.Cpu).To(DType.Float32).DetachFromDisposeScope());
                            indices.AddRange(batch.Indices);
                            labels.AddRange(batch.Labels.ToArray<long>());
                        }
                        if (++batches % 20 == 0)
                            log(string.Create(CultureInfo.InvariantCulture, $"  pass {pass}: {indices.Count}/{dataset.Count} images, {indices.Count / Math.Max(1e-9, sw.Elapsed.TotalSeconds):0} img/s"));
                    }
                    if (chunks.Count == 0) throw new InvalidOperationException("no image of the dataset could be decoded");
                    results.Add(Tensor.Cat(chunks, 0).DetachFromDisposeScope());
                }
                finally
                {
                    foreach (var c in chunks) c.Dispose();
                }
                if (firstIndices is null)
                {
                    firstIndices = indices.ToArray();
                    firstLabels = labels.ToArray();
                }
                else if (!firstIndices.AsSpan().SequenceEqual(indices.ToArray()))
                    throw new InvalidOperationException($"augmented pass {pass} saw other images than the clean pass (a file became unreadable?)");
            }
            var labelTensor = Tensor.FromArray(firstLabels!).DetachFromDisposeScope();
            var clean = results[0];
            return (clean, results.Skip(1).ToList(), labelTensor, firstIndices!);
        }
        catch
        {
            foreach (var r in results) r.Dispose();
            throw;
        }
        finally
        {
            foreach (var (m, training) in flags) m.SetTrainingFlag(training);
        }
    }

    private static Tensor Take(Dictionary<string, Tensor> tensors, string name, string path) =>
        tensors.TryGetValue(name, out var t) ? t : throw new InvalidDataException($"{path}: feature cache lacks tensor '{name}'");

    /// <summary>Frees the tensors.</summary>
    public void Dispose()
    {
        Features.Dispose();
        Labels.Dispose();
        foreach (var a in augmented) a.Dispose();
    }
}
