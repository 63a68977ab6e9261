namespace SharpVision.Training;

/// <summary>One part of a batch under gradient accumulation: rows [Start, Start + Count).</summary>
/// <param name="Start">First row.</param>
/// <param name="Count">Number of rows.</param>
/// <param name="IsLast">True for the part whose backward ends the optimizer step.</param>
public readonly record struct MicroBatch(int Start, int Count, bool IsLast)
{
    /// <summary>
    /// Splits <paramref name="batchSize"/> rows into <paramref name="parts"/> contiguous parts as equal as possible (the
    /// first ones one row larger when it does not divide); fewer parts when the batch has fewer rows.
    /// </summary>
    public static IReadOnlyList<MicroBatch> Split(int batchSize, int parts)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(parts, 1);
        parts = Math.Min(parts, batchSize);
        var result = new MicroBatch[parts];
        var start = 0;
        for (var i = 0; i < parts; i++)
        {
            var count = batchSize / parts + (i < batchSize % parts ? 1 : 0);
            result[i] = new MicroBatch(start, count, i == parts - 1);
            start += count;
        }
        return result;
    }
}
