using SharpVision.Engine;

namespace SharpVision.Tests.Engine;

/// <summary>Hand-computed values for the neural-network operations.</summary>
public class NnOpsTests
{
    // 1×1×3×3 image [[1, 2, 3], [4, 5, 6], [7, 8, 9]].
    private static Tensor Image3() => Tensor.Arange(1, 10, 1, DType.Float32).Reshape(1, 1, 3, 3);

    [Fact]
    public void Conv2dPaddingStrideDilationGroupsAndSame()
    {
        using var scope = Torch.NewDisposeScope();
        var x = Image3();
        var ones2 = Tensor.Ones(new long[] { 1, 1, 2, 2 });
        var ones3 = Tensor.Ones(new long[] { 1, 1, 3, 3 });
        Assert.Equal(new float[] { 13, 17, 25, 29 }, Functional.Conv2d(x, ones2, Tensor.Ones(new long[] { 1 })).ToArray<float>());
        Assert.Equal(new float[] { 12, 21, 16, 27, 45, 33, 24, 39, 28 }, Functional.Conv2d(x, ones3, padding: (1, 1)).ToArray<float>());
        var same = Functional.Conv2dSame(x, ones3);
        Assert.Equal(new long[] { 1, 1, 3, 3 }, same.Shape);
        Assert.Equal(45f, same.ToArray<float>()[4]);
        Assert.Equal(new float[] { 12, 16, 24, 28 }, Functional.Conv2d(x, ones3, stride: (2, 2), padding: (1, 1)).ToArray<float>());
        Assert.Equal(new float[] { 20 }, Functional.Conv2d(x, ones2, dilation: (2, 2)).ToArray<float>());
        var two = Tensor.Cat(new[] { x, x }, 1);
        var grouped = Functional.Conv2d(two, Tensor.FromArray(new float[] { 2, 3 }, 2, 1, 1, 1), groups: 2);
        Assert.Equal(new long[] { 1, 2, 3, 3 }, grouped.Shape);
        Assert.Equal(new float[] { 2, 3 }, new[] { grouped.ToArray<float>()[0], grouped.ToArray<float>()[9] });
    }

    [Fact]
    public void ConvTranspose2dSpreadsEachInputOverItsStride()
    {
        using var scope = Torch.NewDisposeScope();
        var x = Tensor.FromArray(new float[] { 1, 2, 3, 4 }, 1, 1, 2, 2);
        var y = Functional.ConvTranspose2d(x, Tensor.Ones(new long[] { 1, 1, 2, 2 }), stride: (2, 2));
        Assert.Equal(new float[] { 1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4 }, y.ToArray<float>());
    }

    [Fact]
    public void PoolingMatchesHandComputedValues()
    {
        using var scope = Torch.NewDisposeScope();
        var x = Tensor.Arange(0, 16, 1, DType.Float32).Reshape(1, 1, 4, 4);
        Assert.Equal(new float[] { 5, 7, 13, 15 }, Functional.MaxPool2d(x, (2, 2)).ToArray<float>());
        Assert.Equal(new float[] { 2.5f, 4.5f, 10.5f, 12.5f }, Functional.AvgPool2d(x, (2, 2)).ToArray<float>());
        Assert.Equal(new float[] { 7.5f }, Functional.AdaptiveAvgPool2d(x, (1, 1)).ToArray<float>());
        Assert.Equal(new float[] { 10, 11, 14, 15 }, Functional.MaxPool2d(x, (3, 3), stride: (1, 1)).ToArray<float>());
    }

    [Fact]
    public void BatchNormTrainingUpdatesRunningStatsAndEvalUsesThem()
    {
        using var scope = Torch.NewDisposeScope();
        var x = Tensor.FromArray(new float[] { 1, 2, 3, 4 }, 2, 1, 1, 2);
        var rm = Tensor.Zeros(new long[] { 1 });
        var rv = Tensor.Ones(new long[] { 1 });
        var w = Tensor.FromArray(new float[] { 2 });
        var b = Tensor.FromArray(new float[] { 1 });
        var y = Functional.BatchNorm(x, rm, rv, w, b, training: true, momentum: 0.1, eps: 1e-5).ToArray<float>();
        var sd = Math.Sqrt(1.25 + 1e-5); // batch mean 2.5, biased variance 1.25
        for (var i = 0; i < 4; i++) Assert.Equal(2 * ((i + 1) - 2.5) / sd + 1, y[i], 5);
        Assert.Equal(0.25f, rm.ToArray<float>()[0], 6);              // 0.9·0 + 0.1·2.5
        Assert.Equal(0.9 + 0.1 * 5.0 / 3, rv.ToArray<float>()[0], 5); // unbiased variance 5/3
        var e = Functional.BatchNorm(x, rm, rv, w, b, training: false).ToArray<float>();
        var rvv = 0.9 + 0.1 * 5.0 / 3;
        for (var i = 0; i < 4; i++) Assert.Equal(2 * ((i + 1) - 0.25) / Math.Sqrt(rvv + 1e-5) + 1, e[i], 4);
        Assert.Equal(0.25f, rm.ToArray<float>()[0], 6); // eval leaves the statistics alone
    }

    [Fact]
    public void DropoutScalesKeptValuesAndDropout2dDropsWholeChannels()
    {
        using var scope = Torch.NewDisposeScope();
        var x = Tensor.Ones(new long[] { 1, 64, 4, 4 });
        var d = Functional.Dropout(x, 0.5, training: true).ToArray<float>();
        Assert.All(d, v => Assert.True(v == 0 || v == 2));
        Assert.InRange(d.Count(v => v == 0), 300, 724);
        Assert.Equal(x.ToArray<float>(), Functional.Dropout(x, 0.5, training: false).ToArray<float>());
        var c = Functional.Dropout2d(x, 0.5, training: true).ToArray<float>();
        for (var ch = 0; ch < 64; ch++)
        {
            var channel = c.Skip(ch * 16).Take(16).Distinct().ToArray();
            Assert.Single(channel);
            Assert.True(channel[0] == 0 || channel[0] == 2);
        }
    }

    [Fact]
    public void ActivationsMatchTheirFormulas()
    {
        using var scope = Torch.NewDisposeScope();
        var x = Tensor.FromArray(new float[] { -1, 0, 1, 7 });
        Assert.Equal(new float[] { 0, 0, 1, 7 }, Functional.Relu(x).ToArray<float>());
        Assert.Equal(new float[] { 0, 0, 1, 6 }, Functional.Relu6(x).ToArray<float>());
        Assert.Equal(new float[] { -0.1f, 0, 1, 7 }, Functional.LeakyRelu(x, 0.1).ToArray<float>());
        var s = Functional.Sigmoid(x).ToArray<float>();
        Assert.Equal(0.5f, s[1]);
        Assert.Equal(1 / (1 + Math.Exp(1)), s[0], 6);
        Assert.Equal(Math.Tanh(1), Functional.Tanh(x).ToArray<float>()[2], 6);
        Assert.Equal(0.8413447, Functional.Gelu(x).ToArray<float>()[2], 6);   // x·Φ(x) at 1
        Assert.Equal(0.7310586, Functional.Silu(x).ToArray<float>()[2], 6);   // x·σ(x) at 1
        var logits = Tensor.FromArray(new float[] { 0, (float)Math.Log(3) }, 1, 2);
        var p = Functional.Softmax(logits, 1).ToArray<float>();
        Assert.Equal(0.25, p[0], 6);
        Assert.Equal(0.75, p[1], 6);
        Assert.Equal(Math.Log(0.75), Functional.LogSoftmax(logits, -1).ToArray<float>()[1], 6);
    }

    [Fact]
    public void LossesMatchHandComputedValues()
    {
        using var scope = Torch.NewDisposeScope();
        var logits = Tensor.FromArray(new float[] { 0, (float)Math.Log(3), 0, 0 }, 2, 2);
        var target = Tensor.FromArray(new long[] { 0, 1 });
        // −log 0.25 and −log 0.5
        Assert.Equal((Math.Log(4) + Math.Log(2)) / 2, Functional.CrossEntropy(logits, target).Item(), 5);
        var perSample = Functional.CrossEntropy(logits, target, reduction: Reduction.None).ToArray<float>();
        Assert.Equal(Math.Log(4), perSample[0], 5);
        Assert.Equal(Math.Log(2), perSample[1], 5);
        var weights = Tensor.FromArray(new float[] { 1, 3 });
        Assert.Equal((1 * Math.Log(4) + 3 * Math.Log(2)) / 4, Functional.CrossEntropy(logits, target, weights).Item(), 5);
        // Label smoothing ε: (1 − ε)·NLL + ε·mean over classes of −log p.
        var one = logits.Narrow(0, 0, 1);
        var smooth = Functional.CrossEntropy(one, Tensor.FromArray(new long[] { 1 }), labelSmoothing: 0.2).Item();
        Assert.Equal(0.8 * -Math.Log(0.75) + 0.2 * (-Math.Log(0.25) - Math.Log(0.75)) / 2, smooth, 5);
        var logp = Tensor.FromArray(new float[] { -1, -2 }, 1, 2);
        Assert.Equal(2.0, Functional.NllLoss(logp, Tensor.FromArray(new long[] { 1 })).Item());
        Assert.Equal(Math.Log(2), Functional.BinaryCrossEntropyWithLogits(Tensor.Zeros(new long[] { 3 }), Tensor.Ones(new long[] { 3 })).Item(), 6);
        Assert.Equal(2.0, Functional.MseLoss(Tensor.FromArray(new float[] { 1, 2 }), Tensor.FromArray(new float[] { 3, 2 })).Item());
        Assert.Equal(4.0, Functional.MseLoss(Tensor.FromArray(new float[] { 1, 2 }), Tensor.FromArray(new float[] { 3, 2 }), Reduction.Sum).Item());
    }

    [Fact]
    public void InterpolateNearestBilinearAndAntialias()
    {
        using var scope = Torch.NewDisposeScope();
        var x = Tensor.FromArray(new float[] { 1, 2, 3, 4 }, 1, 1, 2, 2);
        Assert.Equal(new float[] { 1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4 },
            Functional.Interpolate(x, (4, 4), InterpolationMode.Nearest).ToArray<float>());
        var row = Tensor.FromArray(new float[] { 0, 1 }, 1, 1, 1, 2);
        Assert.Equal(new float[] { 0, 0.25f, 0.75f, 1 }, Functional.Interpolate(row, (1, 4)).ToArray<float>());
        var ramp = Tensor.FromArray(new float[] { 0, 1, 2, 3 }, 1, 1, 1, 4);
        Assert.Equal(new float[] { 0.5f, 2.5f }, Functional.Interpolate(ramp, (1, 2)).ToArray<float>());
        // Antialiased: a triangle filter twice as wide, weights 0.75, 0.75, 0.25 over pixels 0..2 (PIL's result).
        var aa = Functional.Interpolate(ramp, (1, 2), InterpolationMode.BilinearAntialias).ToArray<float>();
        Assert.Equal(1.25 / 1.75, aa[0], 5);
        Assert.Equal(3 - 1.25 / 1.75, aa[1], 5);
    }

    [Fact]
    public void AffineGridAndGridSampleReproduceIdentityAndFlip()
    {
        using var scope = Torch.NewDisposeScope();
        var x = Tensor.Arange(0, 6, 1, DType.Float32).Reshape(1, 1, 2, 3);
        var identity = Tensor.FromArray(new float[] { 1, 0, 0, 0, 1, 0 }, 1, 2, 3);
        var grid = Functional.AffineGrid(identity, new long[] { 1, 1, 2, 3 });
        Assert.Equal(new long[] { 1, 2, 3, 2 }, grid.Shape);
        var first = grid.ToArray<float>();
        Assert.Equal(-2.0 / 3, first[0], 6); // x of the top-left pixel centre (align_corners=false)
        Assert.Equal(-0.5, first[1], 6);
        Assert.True(Functional.GridSample(x, grid).AllClose(x, atol: 1e-6));
        var flip = Tensor.FromArray(new float[] { -1, 0, 0, 0, 1, 0 }, 1, 2, 3);
        var flipped = Functional.GridSample(x, Functional.AffineGrid(flip, new long[] { 1, 1, 2, 3 }));
        Assert.True(flipped.AllClose(x.Flip(3), atol: 1e-6));
        // Shifting by a whole image reads only padding: zeros, or the border pixels.
        var shift = Tensor.FromArray(new float[] { 1, 0, 4, 0, 1, 0 }, 1, 2, 3);
        var outside = Functional.AffineGrid(shift, new long[] { 1, 1, 2, 3 });
        Assert.Equal(0.0, Functional.GridSample(x, outside).Abs().Sum().Item());
        Assert.Equal(new float[] { 2, 2, 2, 5, 5, 5 }, Functional.GridSample(x, outside, padding: GridPaddingMode.Border).ToArray<float>());
    }
}
