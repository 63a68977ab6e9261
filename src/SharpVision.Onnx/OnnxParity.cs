using SharpVision.Engine;
using SharpVision.Layers;
using SharpVision.Models;

namespace SharpVision.Onnx;

/// <summary>
/// Checks an exported file against the model it came from: seeded standard-normal inputs (already "normalised") go
/// through libtorch in eval mode and through ONNX Runtime; the outputs must agree within
/// <see cref="OnnxParityResult.Tolerance"/> with the same arg-max.
/// </summary>
public static class OnnxParity
{
    /// <summary>Compares <paramref name="model"/> with the ONNX file at the given batch sizes.</summary>
    public static OnnxParityResult Check(Module model, ModelDescriptor descriptor, string onnxPath, IReadOnlyList<int>? batchSizes = null, ulong seed = 17, int? threads = null)
    {
        batchSizes ??= new[] { 1, 7 };
        using var session = OnnxSession.Open(onnxPath, threads);
        var probabilities = session.Metadata.TryGetValue(OnnxMetadata.OutputKey, out var o) && o == "probabilities";
        int c = descriptor.InputChannels, h = descriptor.InputHeight, w = descriptor.InputWidth;
        using var generator = new Generator(seed);
        model.Eval();
        double maxDiff = 0, maxRef = 0;
        var sameArgmax = true;
        var rows = 0;
        foreach (var n in batchSizes)
        {
            float[] input, expected;
            using (Torch.NewDisposeScope())
            using (Torch.NoGrad())
            {
                var x = Tensor.Randn(new long[] { n, c, h, w }, generator);
                input = x.ToArray<float>();
                var y = model.Call(x);
                if (probabilities) y = y.Shape[1] == 1 ? Tensor.Cat(new[] { 1 - y.Sigmoid(), y.Sigmoid() }, 1) : y.Softmax(1);
                expected = y.To(DType.Float32).Contiguous().ToArray<float>();
            }
            var (actual, _) = session.Run(input, n, c, h, w);
            if (actual.Length != expected.Length)
                throw new InvalidDataException($"{onnxPath}: ONNX Runtime returned {actual.Length} values for batch {n}, libtorch {expected.Length}");
            var (diff, reference, same) = Compare(actual, expected, n);
            maxDiff = Math.Max(maxDiff, diff);
            maxRef = Math.Max(maxRef, reference);
            sameArgmax &= same;
            rows += n;
        }
        return new OnnxParityResult(maxDiff, sameArgmax, rows, batchSizes.ToArray(), maxRef);
    }

    /// <summary>Largest |actual − expected|, largest |expected| and whether each of the <paramref name="rows"/> rows has the same arg-max.</summary>
    internal static (double MaxDiff, double MaxRef, bool SameArgmax) Compare(float[] actual, float[] expected, int rows)
    {
        double maxDiff = 0, maxRef = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            maxDiff = Math.Max(maxDiff, Math.Abs((double)actual[i] - expected[i]));
            maxRef = Math.Max(maxRef, Math.Abs((double)expected[i]));
        }
        var k = expected.Length / rows;
        var same = Enumerable.Range(0, rows).All(r => ArgMax(actual.AsSpan(r * k, k)) == ArgMax(expected.AsSpan(r * k, k)));
        return (maxDiff, maxRef, same);
    }

    private static int ArgMax(ReadOnlySpan<float> row)
    {
        var best = 0;
        for (var i = 1; i < row.Length; i++) if (row[i] > row[best]) best = i;
        return best;
    }
}
