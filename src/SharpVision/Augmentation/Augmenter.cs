using SharpVision.Engine;

namespace SharpVision.Augmentation;

/// <summary>
/// Applies the per-image part of an <see cref="AugmentationSpec"/> to a whole batch on the batch's device: one
/// affine_grid + grid_sample for all geometry (flip, rotation, shift, zoom, shear, random resized crop), then brightness,
/// channel shift, colour jitter, hue, Gaussian noise and random erasing. All randomness comes from the caller's
/// <see cref="Generator"/> (drawn on the CPU, then moved to the device), so the same generator state gives the same output.
/// </summary>
public sealed class Augmenter
{
    // Uniform numbers drawn per image, whatever is enabled, so turning one operation on or off does not change the
    // random draws of the others.
    private const int Slots = 24;
    private const int SlotFlipH = 0, SlotFlipV = 1, SlotRotate = 2, SlotShiftX = 3, SlotShiftY = 4, SlotZoom = 5, SlotShear = 6;
    private const int SlotCropArea = 7, SlotCropRatio = 8, SlotCropX = 9, SlotCropY = 10;
    private const int SlotBrightness = 11, SlotJitterB = 12, SlotJitterC = 13, SlotJitterS = 14, SlotHue = 15;
    private const int SlotErase = 16, SlotEraseArea = 17, SlotEraseRatio = 18, SlotEraseX = 19, SlotEraseY = 20;

    // Random erasing rectangle: area fraction and aspect ratio ranges of Zhong et al. (torchvision's RandomErasing defaults).
    private static readonly UniformRange EraseArea = new(0.02, 0.33);
    private static readonly UniformRange EraseLogRatio = new(Math.Log(0.3), Math.Log(3.3));

    // ITU-R BT.601 luma weights (torchvision's rgb_to_grayscale).
    private const double LumaR = 0.299, LumaG = 0.587, LumaB = 0.114;

    /// <summary>Creates an augmenter for <paramref name="spec"/>.</summary>
    public Augmenter(AugmentationSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Spec = spec;
    }

    /// <summary>The settings.</summary>
    public AugmentationSpec Spec { get; }

    /// <summary>True when no per-image operation is enabled (MixUp and CutMix belong to <see cref="BatchMixer"/>).</summary>
    public bool IsIdentity => !Spec.HasGeometry && !Spec.HasPhotometric;

    /// <summary>
    /// Returns a new augmented batch with the shape, dtype and device of <paramref name="images"/> (float NCHW in [0, 1]).
    /// The input is not modified. With an identity spec the result is an exact copy and no random numbers are drawn.
    /// </summary>
    /// <exception cref="ArgumentException">The tensor is not a floating-point NCHW batch, or colour jitter/hue meets a channel count other than 1 or 3.</exception>
    public Tensor Apply(Tensor images, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(generator);
        CheckImages(images, nameof(images));
        if (IsIdentity) return images.Clone();

        var shape = images.Shape;
        int n = (int)shape[0], c = (int)shape[1], h = (int)shape[2], w = (int)shape[3];
        if ((Spec.Jitter > 0 || Spec.Hue > 0) && c is not (1 or 3))
            throw new ArgumentException($"colour jitter and hue need 1- or 3-channel images, got {c} channels", nameof(images));

        using var noGrad = Torch.NoGrad();
        using var scope = Torch.NewDisposeScope();
        var u = DrawUniforms(generator, n, Slots);
        var x = images;
        if (Spec.HasGeometry) x = Geometry(x, u, n, w, h);
        if (Spec.HasPhotometric)
        {
            x = Photometric(x, u, generator, n, c);
            if (Spec.Erase > 0) x = RandomErase(x, u, generator, n, c, h, w);
        }
        // Every enabled operation may have been a no-op for this batch (e.g. hue on grey images): the caller still gets its own tensor.
        var result = ReferenceEquals(x, images) ? images.Clone() : x;
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Warps every image of the batch with its own transform in one affine_grid + grid_sample (the deterministic core of
    /// <see cref="Apply"/>, also useful for test-time augmentation).
    /// </summary>
    /// <param name="images">Float NCHW batch.</param>
    /// <param name="transforms">One transform per image.</param>
    /// <param name="fill">How the area brought in from outside is filled.</param>
    /// <param name="fillValue">The value for <see cref="FillMode.Constant"/>.</param>
    /// <param name="interpolation">Bilinear or nearest resampling.</param>
    /// <exception cref="ArgumentException">The batch is not float NCHW or the number of transforms differs from the batch size.</exception>
    public static Tensor Warp(Tensor images, IReadOnlyList<AffineTransform> transforms, FillMode fill = FillMode.Nearest,
        double fillValue = 0, GridSampleMode interpolation = GridSampleMode.Bilinear)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(transforms);
        CheckImages(images, nameof(images));
        var shape = images.Shape;
        if (transforms.Count != shape[0])
            throw new ArgumentException($"need one transform per image: batch has {shape[0]}, got {transforms.Count}", nameof(transforms));
        int w = (int)shape[3], h = (int)shape[2];
        var theta = new float[transforms.Count * 6];
        for (var i = 0; i < transforms.Count; i++)
        {
            var m = transforms[i].SamplingMatrix(w, h);
            for (var k = 0; k < 6; k++) theta[i * 6 + k] = (float)m[k];
        }
        using var noGrad = Torch.NoGrad();
        using var scope = Torch.NewDisposeScope();
        var thetaTensor = Tensor.FromArray(theta, transforms.Count, 2, 3).To(images.Device).To(images.DType);
        return Sample(images, thetaTensor, fill, fillValue, interpolation).MoveToOuterDisposeScope();
    }

    private static Tensor Sample(Tensor images, Tensor theta, FillMode fill, double fillValue, GridSampleMode interpolation)
    {
        var grid = Functional.AffineGrid(theta, images.Shape);
        if (fill == FillMode.Constant && fillValue != 0)
        {
            // grid_sample is linear in the image, so sampling (x − v) with zero padding and adding v back fills the
            // outside with v and blends the border exactly like a sampled validity mask would, with one grid_sample.
            var shifted = images - fillValue;
            return Functional.GridSample(shifted, grid, interpolation, GridPaddingMode.Zeros) + fillValue;
        }
        var padding = fill switch
        {
            FillMode.Nearest => GridPaddingMode.Border,
            FillMode.Reflect => GridPaddingMode.Reflection,
            _ => GridPaddingMode.Zeros,
        };
        return Functional.GridSample(images, grid, interpolation, padding);
    }

    private Tensor Geometry(Tensor x, double[] u, int n, int w, int h)
    {
        var s = Spec;
        var flipOnly = s.Rotation == 0 && s.WidthShift == 0 && s.HeightShift == 0 && !(s.Zoom is { } z && (z.Low != 1 || z.High != 1)) &&
                       s.Shear == 0 && s.CropScale is null;
        if (flipOnly) return Flips(x, u, n);

        var transforms = new AffineTransform[n];
        for (var i = 0; i < n; i++)
        {
            var row = i * Slots;
            double cropW = 1, cropH = 1, cropX = 0, cropY = 0;
            if (s.CropScale is { } scale)
            {
                // Random resized crop: area fraction a, aspect ratio r = w/h drawn log-uniformly; a window too large for
                // the image is clamped to it (torchvision retries ten times, then falls back to a centre crop).
                var area = scale.At(u[row + SlotCropArea]);
                var logRatio = Math.Log(s.CropRatio.Low) + u[row + SlotCropRatio] * (Math.Log(s.CropRatio.High) - Math.Log(s.CropRatio.Low));
                var ratio = Math.Exp(logRatio);
                cropW = Math.Min(1, Math.Sqrt(area * ratio * h / w));
                cropH = Math.Min(1, Math.Sqrt(area * w / (ratio * h)));
                cropX = (u[row + SlotCropX] - 0.5) * (1 - cropW);
                cropY = (u[row + SlotCropY] - 0.5) * (1 - cropH);
            }
            transforms[i] = new AffineTransform
            {
                FlipHorizontal = s.FlipHorizontal && u[row + SlotFlipH] < 0.5,
                FlipVertical = s.FlipVertical && u[row + SlotFlipV] < 0.5,
                Rotation = Symmetric(u[row + SlotRotate], s.Rotation),
                ShiftX = Symmetric(u[row + SlotShiftX], s.WidthShift),
                ShiftY = Symmetric(u[row + SlotShiftY], s.HeightShift),
                Zoom = s.Zoom?.At(u[row + SlotZoom]) ?? 1,
                Shear = Symmetric(u[row + SlotShear], s.Shear),
                CropWidth = cropW,
                CropHeight = cropH,
                CropCenterX = cropX,
                CropCenterY = cropY,
            };
        }
        return Warp(x, transforms, s.Fill, s.FillValue, s.Interpolation);
    }

    // Flips alone need no resampling: exact mirrored copies selected per image.
    private Tensor Flips(Tensor x, double[] u, int n)
    {
        if (Spec.FlipHorizontal) x = FlipSome(x, u, n, SlotFlipH, dim: 3);
        if (Spec.FlipVertical) x = FlipSome(x, u, n, SlotFlipV, dim: 2);
        return x;
    }

    /// <summary>
    /// Flips the images whose draw is below ½. Only those are flipped and copied back (index_select → flip →
    /// index_copy): a third of the memory traffic of flipping the whole batch and selecting with a broadcast mask.
    /// </summary>
    private static Tensor FlipSome(Tensor x, double[] u, int n, int slot, long dim)
    {
        var chosen = new List<long>(n);
        for (var i = 0; i < n; i++)
        {
            if (u[i * Slots + slot] < 0.5) chosen.Add(i);
        }
        if (chosen.Count == 0) return x;
        if (chosen.Count == n) return x.Flip(dim);
        var index = Tensor.FromArray(chosen.ToArray()).To(x.Device);
        return x.IndexCopy(0, index, x.IndexSelect(0, index).Flip(dim));
    }

    private Tensor Photometric(Tensor x, double[] u, Generator generator, int n, int c)
    {
        var s = Spec;
        var device = x.Device;
        var dtype = x.DType;
        Tensor PerImage(Func<int, double> f)
        {
            var v = new float[n];
            for (var i = 0; i < n; i++) v[i] = (float)f(i * Slots);
            return Tensor.FromArray(v, n, 1, 1, 1).To(device).To(dtype);
        }

        if (s.Brightness is { } b && (b.Low != 1 || b.High != 1))
            x = (x * PerImage(r => b.At(u[r + SlotBrightness]))).Clamp(0, 1);
        if (s.ChannelShift > 0)
        {
            using var shiftCpu = Tensor.Rand(new long[] { n, c, 1, 1 }, generator, DType.Float32);
            x = (x + (shiftCpu * (2 * s.ChannelShift) - s.ChannelShift).To(device).To(dtype)).Clamp(0, 1);
        }
        if (s.Jitter > 0)
        {
            var j = s.Jitter;
            x = (x * PerImage(r => Symmetric(u[r + SlotJitterB], j) + 1)).Clamp(0, 1);
            // Contrast: blend with the mean grey level of each image.
            var mean = Gray(x, c).Mean(new long[] { 1, 2, 3 }, keepDim: true);
            x = Blend(x, mean, PerImage(r => Symmetric(u[r + SlotJitterC], j) + 1));
            // Saturation: blend with each pixel's grey level (a no-op on grey images).
            if (c == 3) x = Blend(x, Gray(x, c), PerImage(r => Symmetric(u[r + SlotJitterS], j) + 1));
        }
        if (s.Hue > 0 && c == 3) x = HueRotate(x, u, n, s.Hue);
        if (s.Noise > 0)
        {
            using var noiseCpu = Tensor.Randn(x.Shape, generator, DType.Float32);
            x = (x + (noiseCpu * s.Noise).To(device).To(dtype)).Clamp(0, 1);
        }
        return x;
    }

    // factor·x + (1 − factor)·reference, clamped to [0, 1] (torchvision's _blend).
    private static Tensor Blend(Tensor x, Tensor reference, Tensor factor) =>
        (x * factor + reference * (1 - factor)).Clamp(0, 1);

    private static Tensor Gray(Tensor x, int c)
    {
        if (c == 1) return x;
        return x.Narrow(1, 0, 1) * LumaR + x.Narrow(1, 1, 1) * LumaG + x.Narrow(1, 2, 1) * LumaB;
    }

    // Hue "lite": rotate the chroma plane of YIQ by ±hue·360° (a per-image 3×3 matrix, one batched matmul). It keeps luma
    // exactly and is close to, but not the same as, torchvision's HSV hue shift.
    private static Tensor HueRotate(Tensor x, double[] u, int n, double hue)
    {
        double[,] toYiq = { { 0.299, 0.587, 0.114 }, { 0.595716, -0.274453, -0.321263 }, { 0.211456, -0.522591, 0.311135 } };
        var fromYiq = Invert3(toYiq);
        var k = new float[n * 9];
        for (var i = 0; i < n; i++)
        {
            var angle = Symmetric(u[i * Slots + SlotHue], hue) * 2 * Math.PI;
            double cos = Math.Cos(angle), sin = Math.Sin(angle);
            double[,] rot = { { 1, 0, 0 }, { 0, cos, -sin }, { 0, sin, cos } };
            var m = Multiply(fromYiq, Multiply(rot, toYiq));
            for (var r = 0; r < 3; r++)
            for (var col = 0; col < 3; col++)
                k[i * 9 + r * 3 + col] = (float)m[r, col];
        }
        var shape = x.Shape;
        var matrices = Tensor.FromArray(k, n, 3, 3).To(x.Device).To(x.DType);
        var flat = x.Reshape(shape[0], 3, shape[2] * shape[3]);
        return matrices.MatMul(flat).Reshape(shape).Clamp(0, 1);
    }

    private Tensor RandomErase(Tensor x, double[] u, Generator generator, int n, int c, int h, int w)
    {
        var top = new float[n];
        var bottom = new float[n];
        var left = new float[n];
        var right = new float[n];
        for (var i = 0; i < n; i++)
        {
            var row = i * Slots;
            if (u[row + SlotErase] >= Spec.Erase) continue; // empty rectangle: top = bottom = 0
            var area = EraseArea.At(u[row + SlotEraseArea]) * h * w;
            var ratio = Math.Exp(EraseLogRatio.At(u[row + SlotEraseRatio]));
            var eh = Math.Clamp((int)Math.Round(Math.Sqrt(area * ratio)), 1, h);
            var ew = Math.Clamp((int)Math.Round(Math.Sqrt(area / ratio)), 1, w);
            var y0 = Math.Min((int)(u[row + SlotEraseY] * (h - eh + 1)), h - eh);
            var x0 = Math.Min((int)(u[row + SlotEraseX] * (w - ew + 1)), w - ew);
            top[i] = y0;
            bottom[i] = y0 + eh;
            left[i] = x0;
            right[i] = x0 + ew;
        }
        var device = x.Device;
        Tensor Col(float[] v) => Tensor.FromArray(v, n, 1, 1, 1).To(device);
        var rows = Tensor.Arange(0, h, 1, DType.Float32, device).Reshape(1, 1, h, 1);
        var cols = Tensor.Arange(0, w, 1, DType.Float32, device).Reshape(1, 1, 1, w);
        var inRows = rows.Ge(Col(top)).To(DType.Float32) * rows.Lt(Col(bottom)).To(DType.Float32);
        var inCols = cols.Ge(Col(left)).To(DType.Float32) * cols.Lt(Col(right)).To(DType.Float32);
        var mask = (inRows * inCols).Gt(0.5); // [N, 1, H, W]
        // Erased pixels get uniform random values (the best-performing variant in the random-erasing paper).
        using var fillCpu = Tensor.Rand(new long[] { n, c, h, w }, generator, DType.Float32);
        var fill = fillCpu.To(device).To(x.DType);
        return Tensor.Where(mask, fill, x);
    }

    private static double[] DrawUniforms(Generator generator, int n, int slots)
    {
        using var t = Tensor.Rand(new long[] { n, slots }, generator, DType.Float64);
        return t.ToArray<double>();
    }

    private static double Symmetric(double u, double range) => (2 * u - 1) * range;

    private static void CheckImages(Tensor images, string name)
    {
        if (images.Dim != 4) throw new ArgumentException($"images must be an NCHW batch (4 dimensions), got {images}", name);
        if (!images.DType.IsFloatingPoint())
            throw new ArgumentException($"images must be floating point in [0, 1], got {images.DType} (convert with .To(DType.Float32) / 255)", name);
        var s = images.Shape;
        if (s[0] == 0 || s[2] == 0 || s[3] == 0) throw new ArgumentException($"images must not be empty, got {images}", name);
    }

    private static double[,] Multiply(double[,] a, double[,] b)
    {
        var r = new double[3, 3];
        for (var i = 0; i < 3; i++)
        for (var j = 0; j < 3; j++)
            r[i, j] = a[i, 0] * b[0, j] + a[i, 1] * b[1, j] + a[i, 2] * b[2, j];
        return r;
    }

    private static double[,] Invert3(double[,] m)
    {
        var det = m[0, 0] * (m[1, 1] * m[2, 2] - m[1, 2] * m[2, 1]) - m[0, 1] * (m[1, 0] * m[2, 2] - m[1, 2] * m[2, 0]) +
                  m[0, 2] * (m[1, 0] * m[2, 1] - m[1, 1] * m[2, 0]);
        var r = new double[3, 3];
        r[0, 0] = (m[1, 1] * m[2, 2] - m[1, 2] * m[2, 1]) / det;
        r[0, 1] = (m[0, 2] * m[2, 1] - m[0, 1] * m[2, 2]) / det;
        r[0, 2] = (m[0, 1] * m[1, 2] - m[0, 2] * m[1, 1]) / det;
        r[1, 0] = (m[1, 2] * m[2, 0] - m[1, 0] * m[2, 2]) / det;
        r[1, 1] = (m[0, 0] * m[2, 2] - m[0, 2] * m[2, 0]) / det;
        r[1, 2] = (m[0, 2] * m[1, 0] - m[0, 0] * m[1, 2]) / det;
        r[2, 0] = (m[1, 0] * m[2, 1] - m[1, 1] * m[2, 0]) / det;
        r[2, 1] = (m[0, 1] * m[2, 0] - m[0, 0] * m[2, 1]) / det;
        r[2, 2] = (m[0, 0] * m[1, 1] - m[0, 1] * m[1, 0]) / det;
        return r;
    }
}
