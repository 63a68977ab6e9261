using SharpVision.Engine;

namespace SharpVision.Tests.Engine;

/// <summary>
/// Compares autograd gradients with central finite differences in float64. The function's output is reduced with fixed
/// random weights, so that every output element gets a different upstream gradient (a plain sum would hide mistakes).
/// </summary>
internal static class GradCheck
{
    /// <summary>
    /// Checks d(Σ w·f(inputs))/d(input) for every input whose <c>requiresGrad</c> flag is set. Inputs must be float64.
    /// </summary>
    public static void Check(Func<Tensor[], Tensor> f, Tensor[] inputs, bool[] requiresGrad, double eps = 1e-6, double atol = 1e-6, double rtol = 1e-4)
    {
        using var scope = Torch.NewDisposeScope();
        foreach (var x in inputs) Assert.Equal(DType.Float64, x.DType);
        var leaves = inputs.Select((x, i) => x.Detach().Clone().RequiresGrad_(requiresGrad[i])).ToArray();
        var output = f(leaves);
        using var g = new Generator(1234);
        var weights = Tensor.Randn(output.Shape, g, DType.Float64);
        var loss = (output * weights).Sum();
        loss.Backward();

        for (var i = 0; i < inputs.Length; i++)
        {
            if (!requiresGrad[i]) continue;
            var analytic = leaves[i].Grad?.ToArray<double>() ?? throw new InvalidOperationException($"input {i} got no gradient");
            var values = inputs[i].ToArray<double>();
            var shape = inputs[i].Shape;
            for (var j = 0; j < values.Length; j++)
            {
                var original = values[j];
                values[j] = original + eps;
                var plus = Evaluate(f, inputs, i, values, shape, weights);
                values[j] = original - eps;
                var minus = Evaluate(f, inputs, i, values, shape, weights);
                values[j] = original;
                var numeric = (plus - minus) / (2 * eps);
                var tolerance = atol + rtol * Math.Abs(numeric);
                Assert.True(Math.Abs(numeric - analytic[j]) <= tolerance,
                    $"input {i} element {j}: autograd {analytic[j]:R} vs finite difference {numeric:R}");
            }
        }
    }

    private static double Evaluate(Func<Tensor[], Tensor> f, Tensor[] inputs, int index, double[] values, long[] shape, Tensor weights)
    {
        using var scope = Torch.NewDisposeScope();
        using var noGrad = Torch.NoGrad();
        var args = inputs.Select(x => x.Detach()).ToArray();
        args[index] = Tensor.FromArray(values, shape);
        return (f(args) * weights).Sum().Item();
    }
}
