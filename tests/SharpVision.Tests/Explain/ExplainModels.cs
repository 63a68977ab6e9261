using SharpVision.Engine;
using SharpVision.Layers;
using SharpVision.Models;
using SharpVision.Tests.Support;

namespace SharpVision.Tests.Explain;

/// <summary>Models for the explanation tests.</summary>
internal static class ExplainModels
{
    /// <summary>
    /// A hand-built colour detector whose answer is known: conv channel 0 fires on red pixels (R − G − B), channel 1 on
    /// green pixels (G − R − B), ReLU; global average pooling; class 0 ("green") = channel 1, class 1 ("red") = channel 0.
    /// </summary>
    public static Sequential ColourDetector()
    {
        var conv = new Conv2d(3, 2, 3, padding: 1, activation: Activation.Relu);
        var head = new Linear(2, 2);
        var model = new Sequential(conv, new GlobalAvgPool(), head);
        var w = new float[2 * 3 * 3 * 3];
        // Only the centre tap of each 3×3 kernel: a per-pixel colour test.
        void Centre(int o, float r, float g, float b)
        {
            w[((o * 3 + 0) * 3 + 1) * 3 + 1] = r;
            w[((o * 3 + 1) * 3 + 1) * 3 + 1] = g;
            w[((o * 3 + 2) * 3 + 1) * 3 + 1] = b;
        }
        Centre(0, 1, -1, -1);
        Centre(1, -1, 1, -1);
        using (Torch.NoGrad())
        {
            using var cw = Tensor.FromArray(w, 2, 3, 3, 3);
            conv.Weight.Value.Copy_(cw);
            conv.Bias!.Value.Zero_();
            using var hw = Tensor.FromArray(new float[] { 0, 10, 10, 0 }, 2, 2);
            head.Weight.Value.Copy_(hw);
            head.Bias!.Value.Zero_();
        }
        model.Eval();
        return model;
    }

    /// <summary>Grey image [1, 3, size, size] in [0, 1] with filled squares (x, y, side, r, g, b).</summary>
    public static Tensor Picture(int size, params (int X, int Y, int Side, float R, float G, float B)[] squares)
    {
        var data = new float[3 * size * size];
        Array.Fill(data, 0.5f);
        foreach (var (x0, y0, side, r, g, b) in squares)
            for (var y = y0; y < y0 + side; y++)
                for (var x = x0; x < x0 + side; x++)
                {
                    data[(0 * size + y) * size + x] = r;
                    data[(1 * size + y) * size + x] = g;
                    data[(2 * size + y) * size + x] = b;
                }
        return Tensor.FromArray(data, 1, 3, size, size);
    }

    /// <summary>A zoo model with seeded random weights at a small input, in eval mode.</summary>
    public static Module Zoo(string name, int size, int classes = 3, ulong seed = 7)
    {
        Torch.ManualSeed(seed);
        var model = SeededModels.Create(name, new ModelOptions { NumClasses = classes, InputHeight = size, InputWidth = size }, seed);
        model.Eval();
        return model;
    }

    /// <summary>Mean of each quadrant of a heat map: top-left, top-right, bottom-left, bottom-right.</summary>
    public static double[] QuadrantMeans(float[,] heat)
    {
        int h = heat.GetLength(0), w = heat.GetLength(1);
        var sums = new double[4];
        var counts = new int[4];
        for (var y = 0; y < h; y++)
            for (var x = 0; x < w; x++)
            {
                var q = (y < h / 2 ? 0 : 2) + (x < w / 2 ? 0 : 1);
                sums[q] += heat[y, x];
                counts[q]++;
            }
        return sums.Select((s, i) => s / counts[i]).ToArray();
    }
}
