using SharpVision.Engine;

namespace SharpVision.Explain;

/// <summary>A Grad-CAM map: where in the image the evidence for a class lies, at the target layer's resolution.</summary>
public sealed class GradCamResult
{
    /// <summary>The target layer's path.</summary>
    public required string Layer { get; init; }

    /// <summary>The class explained.</summary>
    public required int ClassIndex { get; init; }

    /// <summary>The model's probabilities for the image (softmax of the output; sigmoid for one output unit).</summary>
    public required float[] Probabilities { get; init; }

    /// <summary>ReLU(Σ_k w_k · A_k) at the layer's resolution [H', W'], not normalised (all zero when nothing speaks for the class).</summary>
    public required float[,] Heat { get; init; }

    /// <summary>The channel weights w_k: spatial means of the class score's gradient.</summary>
    public required float[] ChannelWeights { get; init; }

    /// <summary>The heat map scaled to [0, 1] by its maximum (all zero stays zero).</summary>
    public float[,] Normalized()
    {
        var max = 0f;
        foreach (var v in Heat) max = Math.Max(max, v);
        var h = Heat.GetLength(0);
        var w = Heat.GetLength(1);
        var result = new float[h, w];
        if (max <= 0) return result;
        for (var y = 0; y < h; y++)
            for (var x = 0; x < w; x++)
                result[y, x] = Heat[y, x] / max;
        return result;
    }

    /// <summary>The heat map upsampled bilinearly (half-pixel centres, like cv2.resize) to <paramref name="height"/> × <paramref name="width"/>.</summary>
    public float[,] Upsample(int height, int width)
    {
        if (height < 1 || width < 1) throw new ArgumentOutOfRangeException(nameof(height), $"size must be positive, got {height}×{width}");
        int h = Heat.GetLength(0), w = Heat.GetLength(1);
        var flat = new float[h * w];
        Buffer.BlockCopy(Heat, 0, flat, 0, flat.Length * sizeof(float));
        using var scope = Torch.NewDisposeScope();
        using var t = Tensor.FromArray(flat, 1, 1, h, w);
        using var up = Functional.Interpolate(t, (height, width), InterpolationMode.Bilinear);
        var values = up.ToArray<float>();
        var result = new float[height, width];
        Buffer.BlockCopy(values, 0, result, 0, values.Length * sizeof(float));
        return result;
    }
}
