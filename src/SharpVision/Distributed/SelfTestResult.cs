using SharpVision.Engine;

namespace SharpVision.Distributed;

/// <summary>What a <see cref="DataParallelSelfTest"/> run produced.</summary>
/// <param name="Weights">The final parameters by name; the caller owns (disposes) them.</param>
/// <param name="Totals">Loss and accuracy totals of all steps, summed over all ranks.</param>
/// <param name="ImagesPerSecond">Global training throughput over the steps after the first (NaN with a single step).</param>
/// <param name="SyncSecondsPerStep">Mean time of the gradient all-reduce per step after the first (NaN with a single step).</param>
public sealed record SelfTestResult(IReadOnlyDictionary<string, Tensor> Weights, EpochTotals Totals, double ImagesPerSecond, double SyncSecondsPerStep);
