using SharpVision.Engine;

namespace SharpVision.Tests.Engine;

/// <summary>Autograd against finite differences (float64) for the layers training depends on.</summary>
public class GradientCheckTests
{
    private static Tensor Randn(Generator g, params long[] shape) => Tensor.Randn(shape, g, DType.Float64);

    [Fact]
    public void Conv2dWithStridePaddingAndGroupsMatchesFiniteDifferences()
    {
        using var scope = Torch.NewDisposeScope();
        using var g = new Generator(1);
        var x = Randn(g, 1, 4, 5, 5);
        var w = Randn(g, 6, 2, 3, 3);
        var b = Randn(g, 6);
        GradCheck.Check(a => Functional.Conv2d(a[0], a[1], a[2], stride: (2, 1), padding: (1, 2), groups: 2),
            new[] { x, w, b }, new[] { true, true, true });
    }

    [Fact]
    public void DilatedConv2dAndConvTranspose2dMatchFiniteDifferences()
    {
        using var scope = Torch.NewDisposeScope();
        using var g = new Generator(2);
        var x = Randn(g, 1, 2, 6, 6);
        var w = Randn(g, 3, 2, 3, 3);
        GradCheck.Check(a => Functional.Conv2d(a[0], a[1], dilation: (2, 2), padding: (2, 2)), new[] { x, w }, new[] { true, true });
        var wt = Randn(g, 2, 3, 3, 3);
        GradCheck.Check(a => Functional.ConvTranspose2d(a[0], a[1], stride: (2, 2), padding: (1, 1), outputPadding: (1, 1)),
            new[] { x.Narrow(2, 0, 3).Narrow(3, 0, 3).Contiguous(), wt }, new[] { true, true });
    }

    [Fact]
    public void LinearMatchesFiniteDifferences()
    {
        using var scope = Torch.NewDisposeScope();
        using var g = new Generator(3);
        GradCheck.Check(a => Functional.Linear(a[0], a[1], a[2]), new[] { Randn(g, 3, 5), Randn(g, 4, 5), Randn(g, 4) }, new[] { true, true, true });
    }

    [Fact]
    public void MaxAndAvgPoolingMatchFiniteDifferences()
    {
        using var scope = Torch.NewDisposeScope();
        using var g = new Generator(4);
        var x = Randn(g, 2, 2, 6, 6);
        GradCheck.Check(a => Functional.MaxPool2d(a[0], (3, 3), stride: (2, 2), padding: (1, 1)), new[] { x }, new[] { true });
        GradCheck.Check(a => Functional.AvgPool2d(a[0], (2, 2)), new[] { x }, new[] { true });
        GradCheck.Check(a => Functional.AvgPool2d(a[0], (3, 3), stride: (2, 2), padding: (1, 1), countIncludePad: false), new[] { x }, new[] { true });
        GradCheck.Check(a => Functional.AdaptiveAvgPool2d(a[0], (4, 3)), new[] { x }, new[] { true });
    }

    [Fact]
    public void BatchNormInTrainingModeMatchesFiniteDifferences()
    {
        using var scope = Torch.NewDisposeScope();
        using var g = new Generator(5);
        var runningMean = Tensor.Zeros(new long[] { 3 }, DType.Float64);
        var runningVar = Tensor.Ones(new long[] { 3 }, DType.Float64);
        GradCheck.Check(a => Functional.BatchNorm(a[0], runningMean, runningVar, a[1], a[2], training: true),
            new[] { Randn(g, 4, 3, 3, 3), Randn(g, 3), Randn(g, 3) }, new[] { true, true, true });
    }

    [Fact]
    public void CrossEntropyWithLabelSmoothingAndClassWeightsMatchesFiniteDifferences()
    {
        using var scope = Torch.NewDisposeScope();
        using var g = new Generator(6);
        var target = Tensor.FromArray(new long[] { 0, 2, 1, 3, 2 });
        var weights = Tensor.FromArray(new double[] { 0.5, 1.0, 2.0, 1.5 });
        var logits = Randn(g, 5, 4);
        GradCheck.Check(a => Functional.CrossEntropy(a[0], target), new[] { logits }, new[] { true });
        GradCheck.Check(a => Functional.CrossEntropy(a[0], target, labelSmoothing: 0.1), new[] { logits }, new[] { true });
        GradCheck.Check(a => Functional.CrossEntropy(a[0], target, weights, labelSmoothing: 0.2), new[] { logits }, new[] { true });
        GradCheck.Check(a => Functional.CrossEntropy(a[0], target, weights, Reduction.None), new[] { logits }, new[] { true });
    }

    [Fact]
    public void GridSampleMatchesFiniteDifferencesForInputAndGrid()
    {
        using var scope = Torch.NewDisposeScope();
        using var g = new Generator(7);
        var x = Randn(g, 1, 2, 4, 5);
        // Points strictly inside, away from pixel centres, so the bilinear kinks are not crossed by ±eps.
        var grid = (Tensor.Rand(new long[] { 1, 3, 3, 2 }, g, DType.Float64) * 1.6 - 0.8);
        GradCheck.Check(a => Functional.GridSample(a[0], a[1]), new[] { x, grid }, new[] { true, true });
        GradCheck.Check(a => Functional.GridSample(a[0], a[1], padding: GridPaddingMode.Border, alignCorners: true), new[] { x, grid }, new[] { true, true });
    }

    [Fact]
    public void ElementwiseActivationsMatchFiniteDifferences()
    {
        using var scope = Torch.NewDisposeScope();
        using var g = new Generator(8);
        var x = Randn(g, 3, 4);
        GradCheck.Check(a => Functional.Gelu(a[0]), new[] { x }, new[] { true });
        GradCheck.Check(a => Functional.Silu(a[0]), new[] { x }, new[] { true });
        GradCheck.Check(a => Functional.LogSoftmax(a[0], 1), new[] { x }, new[] { true });
        var target = Tensor.Rand(new long[] { 3, 4 }, g, DType.Float64);
        GradCheck.Check(a => Functional.BinaryCrossEntropyWithLogits(a[0], target), new[] { x }, new[] { true });
        GradCheck.Check(a => Functional.MseLoss(a[0], target), new[] { x }, new[] { true });
    }
}
