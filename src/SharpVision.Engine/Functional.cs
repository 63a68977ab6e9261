using SharpVision.Engine.Native;

namespace SharpVision.Engine;

/// <summary>How a loss is reduced over the batch.</summary>
public enum Reduction
{
    /// <summary>One loss per element.</summary>
    None = 0,
    /// <summary>The mean.</summary>
    Mean = 1,
    /// <summary>The sum.</summary>
    Sum = 2,
}

/// <summary>Resampling method of <see cref="Functional.Interpolate"/>.</summary>
public enum InterpolationMode
{
    /// <summary>Nearest neighbour.</summary>
    Nearest = 0,
    /// <summary>Bilinear.</summary>
    Bilinear = 1,
    /// <summary>Bilinear with an antialiasing filter when downscaling (PIL-like quality).</summary>
    BilinearAntialias = 2,
    /// <summary>Bicubic.</summary>
    Bicubic = 3,
}

/// <summary>Sampling method of <see cref="Functional.GridSample"/>.</summary>
public enum GridSampleMode
{
    /// <summary>Bilinear.</summary>
    Bilinear = 0,
    /// <summary>Nearest.</summary>
    Nearest = 1,
    /// <summary>Bicubic.</summary>
    Bicubic = 2,
}

/// <summary>What <see cref="Functional.GridSample"/> reads outside the image.</summary>
public enum GridPaddingMode
{
    /// <summary>Zeros (Keras fill_mode="constant" with cval 0).</summary>
    Zeros = 0,
    /// <summary>The nearest border pixel (Keras "nearest").</summary>
    Border = 1,
    /// <summary>The mirrored image (Keras "reflect").</summary>
    Reflection = 2,
}

/// <summary>Padding modes of <see cref="Functional.Pad"/>.</summary>
public enum PadMode
{
    /// <summary>A constant value.</summary>
    Constant = 0,
    /// <summary>Mirror without repeating the edge.</summary>
    Reflect = 1,
    /// <summary>Repeat the edge.</summary>
    Replicate = 2,
    /// <summary>Wrap around.</summary>
    Circular = 3,
}

/// <summary>Neural-network operations on tensors (the torch.nn.functional of SharpVision).</summary>
public static unsafe class Functional
{
    private static Tensor W(IntPtr p) => Tensor.Wrap(p);
    private static IntPtr H(Tensor? t) => Tensor.HandleOrZero(t);

    /// <summary>y = x·Wᵀ + b.</summary>
    public static Tensor Linear(Tensor input, Tensor weight, Tensor? bias = null) =>
        W(NativeMethods.sv_linear(input.Handle, weight.Handle, H(bias)));

    /// <summary>2-D convolution with explicit padding. Input NCHW, weight [out, in/groups, kh, kw].</summary>
    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias = null, (int H, int W)? stride = null,
        (int H, int W)? padding = null, (int H, int W)? dilation = null, int groups = 1)
    {
        var s = stride ?? (1, 1);
        var p = padding ?? (0, 0);
        var d = dilation ?? (1, 1);
        long* sp = stackalloc long[] { s.H, s.W };
        long* pp = stackalloc long[] { p.H, p.W };
        long* dp = stackalloc long[] { d.H, d.W };
        return W(NativeMethods.sv_conv2d(input.Handle, weight.Handle, H(bias), sp, pp, dp, groups));
    }

    /// <summary>2-D convolution with PyTorch's padding="same" (output size = input size; stride 1 only).</summary>
    public static Tensor Conv2dSame(Tensor input, Tensor weight, Tensor? bias = null, (int H, int W)? dilation = null, int groups = 1)
    {
        var d = dilation ?? (1, 1);
        long* sp = stackalloc long[] { 1, 1 };
        long* dp = stackalloc long[] { d.H, d.W };
        return W(NativeMethods.sv_conv2d_padmode(input.Handle, weight.Handle, H(bias), sp, 1, dp, groups));
    }

    /// <summary>Transposed 2-D convolution. Weight [in, out/groups, kh, kw].</summary>
    public static Tensor ConvTranspose2d(Tensor input, Tensor weight, Tensor? bias = null, (int H, int W)? stride = null,
        (int H, int W)? padding = null, (int H, int W)? outputPadding = null, int groups = 1, (int H, int W)? dilation = null)
    {
        var s = stride ?? (1, 1);
        var p = padding ?? (0, 0);
        var o = outputPadding ?? (0, 0);
        var d = dilation ?? (1, 1);
        long* sp = stackalloc long[] { s.H, s.W };
        long* pp = stackalloc long[] { p.H, p.W };
        long* op = stackalloc long[] { o.H, o.W };
        long* dp = stackalloc long[] { d.H, d.W };
        return W(NativeMethods.sv_conv_transpose2d(input.Handle, weight.Handle, H(bias), sp, pp, op, groups, dp));
    }

    /// <summary>2-D max pooling (stride defaults to the kernel size).</summary>
    public static Tensor MaxPool2d(Tensor input, (int H, int W) kernel, (int H, int W)? stride = null, (int H, int W)? padding = null,
        (int H, int W)? dilation = null, bool ceilMode = false)
    {
        var s = stride ?? kernel;
        var p = padding ?? (0, 0);
        var d = dilation ?? (1, 1);
        long* kp = stackalloc long[] { kernel.H, kernel.W };
        long* sp = stackalloc long[] { s.H, s.W };
        long* pp = stackalloc long[] { p.H, p.W };
        long* dp = stackalloc long[] { d.H, d.W };
        return W(NativeMethods.sv_max_pool2d(input.Handle, kp, sp, pp, dp, ceilMode ? 1 : 0));
    }

    /// <summary>2-D average pooling (stride defaults to the kernel size).</summary>
    public static Tensor AvgPool2d(Tensor input, (int H, int W) kernel, (int H, int W)? stride = null, (int H, int W)? padding = null,
        bool ceilMode = false, bool countIncludePad = true)
    {
        var s = stride ?? kernel;
        var p = padding ?? (0, 0);
        long* kp = stackalloc long[] { kernel.H, kernel.W };
        long* sp = stackalloc long[] { s.H, s.W };
        long* pp = stackalloc long[] { p.H, p.W };
        return W(NativeMethods.sv_avg_pool2d(input.Handle, kp, sp, pp, ceilMode ? 1 : 0, countIncludePad ? 1 : 0));
    }

    /// <summary>Average pooling to a fixed output size ((1,1) = global average pooling).</summary>
    public static Tensor AdaptiveAvgPool2d(Tensor input, (int H, int W) outputSize)
    {
        long* o = stackalloc long[] { outputSize.H, outputSize.W };
        return W(NativeMethods.sv_adaptive_avg_pool2d(input.Handle, o));
    }

    /// <summary>Max pooling to a fixed output size.</summary>
    public static Tensor AdaptiveMaxPool2d(Tensor input, (int H, int W) outputSize)
    {
        long* o = stackalloc long[] { outputSize.H, outputSize.W };
        return W(NativeMethods.sv_adaptive_max_pool2d(input.Handle, o));
    }

    /// <summary>
    /// Batch normalisation. In training mode batch statistics are used and the running statistics updated in place
    /// (running = (1 − momentum)·running + momentum·batch, unbiased variance), as torch.nn.BatchNorm does.
    /// </summary>
    public static Tensor BatchNorm(Tensor input, Tensor? runningMean, Tensor? runningVar, Tensor? weight, Tensor? bias,
        bool training, double momentum = 0.1, double eps = 1e-5) =>
        W(NativeMethods.sv_batch_norm(input.Handle, H(weight), H(bias), H(runningMean), H(runningVar), training ? 1 : 0, momentum, eps));

    /// <summary>Layer normalisation over the trailing dimensions.</summary>
    public static Tensor LayerNorm(Tensor input, long[] normalizedShape, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5)
    {
        fixed (long* s = normalizedShape)
            return W(NativeMethods.sv_layer_norm(input.Handle, s, normalizedShape.Length, H(weight), H(bias), eps));
    }

    /// <summary>Zeroes elements with probability p during training, scaling the rest by 1/(1−p).</summary>
    public static Tensor Dropout(Tensor input, double p, bool training) => W(NativeMethods.sv_dropout(input.Handle, p, training ? 1 : 0));

    /// <summary>Zeroes whole channels with probability p during training (Dropout2d / SpatialDropout2D).</summary>
    public static Tensor Dropout2d(Tensor input, double p, bool training) => W(NativeMethods.sv_feature_dropout(input.Handle, p, training ? 1 : 0));

    /// <summary>max(0, x).</summary>
    public static Tensor Relu(Tensor x) => W(NativeMethods.sv_relu(x.Handle));
    /// <summary>min(max(0, x), 6).</summary>
    public static Tensor Relu6(Tensor x) => W(NativeMethods.sv_relu6(x.Handle));
    /// <summary>x for x ≥ 0, slope·x otherwise.</summary>
    public static Tensor LeakyRelu(Tensor x, double negativeSlope = 0.01) => W(NativeMethods.sv_leaky_relu(x.Handle, negativeSlope));
    /// <summary>Gaussian error linear unit (exact, or the tanh approximation).</summary>
    public static Tensor Gelu(Tensor x, bool tanhApproximation = false) => W(NativeMethods.sv_gelu(x.Handle, tanhApproximation ? 1 : 0));
    /// <summary>x·σ(x) (swish).</summary>
    public static Tensor Silu(Tensor x) => W(NativeMethods.sv_silu(x.Handle));
    /// <summary>Hard swish.</summary>
    public static Tensor Hardswish(Tensor x) => W(NativeMethods.sv_hardswish(x.Handle));
    /// <summary>Logistic sigmoid.</summary>
    public static Tensor Sigmoid(Tensor x) => W(NativeMethods.sv_sigmoid(x.Handle));
    /// <summary>Hyperbolic tangent.</summary>
    public static Tensor Tanh(Tensor x) => W(NativeMethods.sv_tanh(x.Handle));
    /// <summary>Softmax along a dimension.</summary>
    public static Tensor Softmax(Tensor x, long dim) => W(NativeMethods.sv_softmax(x.Handle, dim));
    /// <summary>Log-softmax along a dimension.</summary>
    public static Tensor LogSoftmax(Tensor x, long dim) => W(NativeMethods.sv_log_softmax(x.Handle, dim));

    /// <summary>
    /// Cross-entropy of logits [N, C] against int64 class indices [N] (or class probabilities [N, C]), with optional
    /// per-class weights and label smoothing, as torch.nn.functional.cross_entropy.
    /// </summary>
    public static Tensor CrossEntropy(Tensor logits, Tensor target, Tensor? classWeights = null, Reduction reduction = Reduction.Mean,
        long ignoreIndex = -100, double labelSmoothing = 0)
    {
        if (labelSmoothing < 0 || labelSmoothing > 1) throw new ArgumentOutOfRangeException(nameof(labelSmoothing), labelSmoothing, "label smoothing must be in [0, 1]");
        return W(NativeMethods.sv_cross_entropy(logits.Handle, target.Handle, H(classWeights), (int)reduction, ignoreIndex, labelSmoothing));
    }

    /// <summary>Negative log-likelihood of log-probabilities against class indices.</summary>
    public static Tensor NllLoss(Tensor logProbabilities, Tensor target, Tensor? classWeights = null, Reduction reduction = Reduction.Mean, long ignoreIndex = -100) =>
        W(NativeMethods.sv_nll_loss(logProbabilities.Handle, target.Handle, H(classWeights), (int)reduction, ignoreIndex));

    /// <summary>Binary cross-entropy on logits (numerically stable sigmoid + BCE).</summary>
    public static Tensor BinaryCrossEntropyWithLogits(Tensor logits, Tensor target, Tensor? weight = null, Tensor? positiveWeight = null,
        Reduction reduction = Reduction.Mean) =>
        W(NativeMethods.sv_bce_with_logits(logits.Handle, target.Handle, H(weight), H(positiveWeight), (int)reduction));

    /// <summary>Mean squared error.</summary>
    public static Tensor MseLoss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean) =>
        W(NativeMethods.sv_mse_loss(input.Handle, target.Handle, (int)reduction));

    /// <summary>Resizes NCHW images to <paramref name="size"/> (height, width).</summary>
    public static Tensor Interpolate(Tensor input, (int H, int W) size, InterpolationMode mode = InterpolationMode.Bilinear, bool alignCorners = false)
    {
        long* s = stackalloc long[] { size.H, size.W };
        return W(NativeMethods.sv_interpolate(input.Handle, s, (int)mode, mode == InterpolationMode.Nearest ? 0 : (alignCorners ? 1 : 0)));
    }

    /// <summary>Sampling grid [N, H, W, 2] for affine matrices θ [N, 2, 3] and output size [N, C, H, W].</summary>
    public static Tensor AffineGrid(Tensor theta, long[] size, bool alignCorners = false)
    {
        fixed (long* s = size) return W(NativeMethods.sv_affine_grid(theta.Handle, s, size.Length, alignCorners ? 1 : 0));
    }

    /// <summary>Samples the input at grid locations in [−1, 1] (spatial transformer sampling).</summary>
    public static Tensor GridSample(Tensor input, Tensor grid, GridSampleMode mode = GridSampleMode.Bilinear,
        GridPaddingMode padding = GridPaddingMode.Zeros, bool alignCorners = false) =>
        W(NativeMethods.sv_grid_sample(input.Handle, grid.Handle, (int)mode, (int)padding, alignCorners ? 1 : 0));

    /// <summary>Pads trailing dimensions: pads = (left, right, top, bottom, ...), as torch.nn.functional.pad.</summary>
    public static Tensor Pad(Tensor input, long[] pads, PadMode mode = PadMode.Constant, double value = 0)
    {
        fixed (long* p = pads) return W(NativeMethods.sv_pad(input.Handle, p, pads.Length, (int)mode, value));
    }
}
