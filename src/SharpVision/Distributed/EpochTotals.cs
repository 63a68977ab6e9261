namespace SharpVision.Distributed;

/// <summary>Additive per-epoch figures: the sum of loss × samples, the number of correct predictions and of samples.</summary>
/// <param name="LossSum">Σ (mean batch loss × batch size).</param>
/// <param name="Correct">Correct predictions.</param>
/// <param name="Count">Samples seen.</param>
public readonly record struct EpochTotals(double LossSum, long Correct, long Count)
{
    /// <summary>The mean loss per sample (NaN when no sample was seen).</summary>
    public double MeanLoss => Count == 0 ? double.NaN : LossSum / Count;

    /// <summary>The fraction of correct predictions (NaN when no sample was seen).</summary>
    public double Accuracy => Count == 0 ? double.NaN : (double)Correct / Count;

    /// <summary>Adds one batch: its mean loss, correct predictions and size.</summary>
    public EpochTotals AddBatch(double meanLoss, long correct, long count) => new(LossSum + meanLoss * count, Correct + correct, Count + count);
}
