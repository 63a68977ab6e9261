namespace SharpVision.Data;

/// <summary>Settings of a <see cref="DataLoader"/>.</summary>
public sealed record DataLoaderOptions
{
    /// <summary>Images per batch. Default 32.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Shuffle the order every epoch (deterministically from <see cref="Seed"/> and the epoch). Default true.</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>Seed of the shuffle and of balanced sampling.</summary>
    public long Seed { get; init; }

    /// <summary>Leave out the last, smaller batch of an epoch. Default false.</summary>
    public bool DropLast { get; init; }

    /// <summary>
    /// Sample with replacement so that every class is equally likely (an epoch still has as many samples as the
    /// dataset). For imbalanced datasets. Default false.
    /// </summary>
    public bool BalancedSampling { get; init; }

    /// <summary>Decode threads. Default: all cores.</summary>
    public int Workers { get; init; } = Environment.ProcessorCount;

    /// <summary>Batches prepared ahead while the consumer trains (0: prepare each batch on demand). Default 2.</summary>
    public int Prefetch { get; init; } = 2;

    /// <summary>Keep every decoded and resized image in memory after its first use (uint8, C×H×W). Default false.</summary>
    public bool CacheImages { get; init; }
}
