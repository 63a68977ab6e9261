namespace SharpVision.Checkout;

/// <summary>Counters of the inference batcher since start-up (warm-up excluded).</summary>
/// <param name="Batches">Forward passes run.</param>
/// <param name="Images">Images classified (including those with errors).</param>
/// <param name="LargestBatch">The largest batch so far.</param>
/// <param name="Failures">Batches whose classifier call failed.</param>
/// <param name="WarmUpMilliseconds">How long the start-up warm-up pass took.</param>
public sealed record InferenceStatistics(long Batches, long Images, int LargestBatch, long Failures, double WarmUpMilliseconds)
{
    /// <summary>Images per forward pass on average.</summary>
    public double MeanBatch => Batches == 0 ? 0 : (double)Images / Batches;
}
