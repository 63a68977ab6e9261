using SharpVision.Data;
using SharpVision.Engine;
using SharpVision.Training;

namespace SharpVision.Tests.Support;

/// <summary>Two Gaussian blobs in 4-D: linearly separable, learned in a few steps.</summary>
public sealed class BlobSource : IBatchSource
{
    private readonly float[] x;
    private readonly long[] y;

    public BlobSource(int count, int seed)
    {
        var rng = new Random(seed);
        x = new float[count * 4];
        y = new long[count];
        for (var i = 0; i < count; i++)
        {
            y[i] = i % 2;
            for (var j = 0; j < 4; j++) x[i * 4 + j] = (float)((y[i] == 0 ? -1 : 1) + rng.NextDouble() - 0.5);
        }
    }

    public int Count => y.Length;
    public int BatchesPerEpoch => (Count + 7) / 8;
    public IReadOnlyList<string> ClassNames { get; } = new[] { "a", "b" };

    public IEnumerable<LabeledBatch> GetBatches(int epoch, int startBatch = 0)
    {
        for (var b = startBatch; b < BatchesPerEpoch; b++)
        {
            var n = Math.Min(8, Count - b * 8);
            yield return new LabeledBatch(
                Tensor.FromArray(x.AsSpan(b * 32, n * 4).ToArray(), n, 4).DetachFromDisposeScope(),
                Tensor.FromArray(y.AsSpan(b * 8, n).ToArray(), n).DetachFromDisposeScope(),
                Enumerable.Range(b * 8, n).ToArray());
        }
    }
}
