using SharpVision.Engine.Distributed;

namespace SharpVision.Distributed;

/// <summary>Checks and parses the data-parallel settings of a training run (--accumulate, --grad-compression).</summary>
public static class DataParallelOptions
{
    /// <summary>The names <see cref="ParseCompression"/> accepts.</summary>
    public const string CompressionNames = "none, fp16";

    /// <summary>Parses --grad-compression: none or fp16.</summary>
    /// <exception cref="ArgumentException">Another value.</exception>
    public static GradientCompression ParseCompression(string text) => text.Trim().ToLowerInvariant() switch
    {
        "none" or "off" => GradientCompression.None,
        "fp16" or "half" => GradientCompression.Fp16,
        _ => throw new ArgumentException($"--grad-compression must be one of {CompressionNames}, got '{text}'"),
    };

    /// <summary>Checks --accumulate and --grad-compression against the global batch and the number of processes.</summary>
    /// <param name="accumulationSteps">Micro-batches per optimizer step.</param>
    /// <param name="compression">How gradient buckets travel.</param>
    /// <param name="globalBatch">The global batch size.</param>
    /// <param name="world">The number of processes.</param>
    /// <param name="fineTune">True for a --fine-tune run (no accumulation there yet).</param>
    /// <exception cref="ArgumentException">A setting is out of range or does not fit the batch.</exception>
    public static void Validate(int accumulationSteps, GradientCompression compression, int globalBatch, int world, bool fineTune)
    {
        if (!Enum.IsDefined(compression))
            throw new ArgumentException($"--grad-compression must be one of {CompressionNames}, got {(int)compression}");
        var k = accumulationSteps;
        if (k < 1) throw new ArgumentException($"--accumulate must be at least 1 (1 = no accumulation), got {k}");
        if (k == 1) return;
        if (fineTune) throw new ArgumentException("--accumulate does not apply to --fine-tune yet: train without it, or use a smaller --batch");
        var perProcess = globalBatch / Math.Max(1, world);
        if (perProcess % k != 0)
            throw new ArgumentException($"--accumulate {k}: the batch of {perProcess} images per process does not split into {k} equal micro-batches " +
                $"(use a --batch divisible by {k * world})");
    }
}
