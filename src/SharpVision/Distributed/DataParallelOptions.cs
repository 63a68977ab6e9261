using SharpVision.Engine.Distributed;

namespace SharpVision.Distributed;

/// <summary>
/// Checks and parses the data-parallel settings of a training run (<c>AccumulationSteps</c> and
/// <c>GradientCompression</c> of <c>TrainingRunOptions</c>; the CLI's --accumulate and --grad-compression). Errors name
/// the options, as the rest of the library's do; the CLI maps them to its flags.
/// </summary>
public static class DataParallelOptions
{
    /// <summary>The names <see cref="ParseCompression"/> accepts.</summary>
    public const string CompressionNames = "none, fp16";

    // The names of TrainingRunOptions' properties (the application floor, above this one, owns the type).
    private const string AccumulationSteps = nameof(AccumulationSteps);
    private const string BatchSize = nameof(BatchSize);

    /// <summary>Parses a gradient compression name: none or fp16.</summary>
    /// <exception cref="ArgumentException">Another value.</exception>
    public static GradientCompression ParseCompression(string text) => text.Trim().ToLowerInvariant() switch
    {
        "none" or "off" => GradientCompression.None,
        "fp16" or "half" => GradientCompression.Fp16,
        _ => throw new ArgumentException($"{nameof(GradientCompression)} must be one of {CompressionNames}, got '{text}'", nameof(GradientCompression)),
    };

    /// <summary>Checks the accumulation steps and the compression against the global batch and the number of processes.</summary>
    /// <param name="accumulationSteps">Micro-batches per optimizer step.</param>
    /// <param name="compression">How gradient buckets travel.</param>
    /// <param name="globalBatch">The global batch size.</param>
    /// <param name="world">The number of processes.</param>
    /// <param name="fineTune">True for a fine-tuning run (no accumulation there yet).</param>
    /// <exception cref="ArgumentException">A setting is out of range or does not fit the batch.</exception>
    public static void Validate(int accumulationSteps, GradientCompression compression, int globalBatch, int world, bool fineTune)
    {
        if (!Enum.IsDefined(compression))
            throw new ArgumentException($"{nameof(GradientCompression)} must be one of {CompressionNames}, got {(int)compression}", nameof(compression));
        var k = accumulationSteps;
        if (k < 1) throw new ArgumentException($"{AccumulationSteps} must be at least 1 (1 = no accumulation), got {k}", nameof(accumulationSteps));
        if (k == 1) return;
        if (fineTune) throw new ArgumentException($"{AccumulationSteps} does not apply to FineTune yet: train without it, or use a smaller {BatchSize}", nameof(accumulationSteps));
        var perProcess = globalBatch / Math.Max(1, world);
        if (perProcess % k != 0)
            throw new ArgumentException($"{AccumulationSteps} {k}: the batch of {perProcess} images per process does not split into {k} equal micro-batches " +
                $"(use a {BatchSize} divisible by {k * world})", nameof(accumulationSteps));
    }
}
