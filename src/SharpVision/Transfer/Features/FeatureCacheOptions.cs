using SharpVision.Augmentation;
using SharpVision.Engine;

namespace SharpVision.Transfer.Features;

/// <summary>Settings of <see cref="FeatureCache.Build"/>.</summary>
public sealed record FeatureCacheOptions
{
    /// <summary>
    /// Where the cache file lives (.safetensors). When it exists and was made from the same model weights, dataset,
    /// preprocessing and augmentation it is loaded instead of running the backbone; otherwise it is (re)built and
    /// written. Null: build in memory only.
    /// </summary>
    public string? CachePath { get; init; }

    /// <summary>A label for the model in the cache's metadata (e.g. "mobilenet_v2"); the weights are identified by their hash anyway.</summary>
    public string ModelName { get; init; } = "";

    /// <summary>
    /// Extra passes over the dataset with random augmentation (K); each stores its own [N, D] features, and
    /// <see cref="FeatureBatchSource"/> serves one of them per epoch. 0: only the clean pass.
    /// </summary>
    public int AugmentedPasses { get; init; }

    /// <summary>The augmentation of the extra passes (required when <see cref="AugmentedPasses"/> &gt; 0; MixUp/CutMix are not applied).</summary>
    public AugmentationSpec? Augmentation { get; init; }

    /// <summary>Seed of the augmentation draws (pass k uses a generator derived from (seed, k)).</summary>
    public ulong Seed { get; init; }

    /// <summary>Images per backbone forward pass.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Decode threads (default: all cores).</summary>
    public int Workers { get; init; } = Environment.ProcessorCount;

    /// <summary>Where the backbone runs; features are stored on the CPU.</summary>
    public Device Device { get; init; } = Device.Cpu;

    /// <summary>Receives progress messages (default: none).</summary>
    public Action<string>? Log { get; init; }
}
