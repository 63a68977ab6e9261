using SharpVision.Engine;

namespace SharpVision.Layers;

/// <summary>
/// 2-D convolution (torch.nn.Conv2d / Keras Conv2D). Weight [out, in/groups, kh, kw], optional bias [out], optional
/// fused activation (Keras style). Default initialisation is PyTorch's (U(±1/√fan_in)); models re-initialise.
/// </summary>
public sealed class Conv2d : Module
{
    /// <summary>Creates the layer.</summary>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="outChannels">Filters.</param>
    /// <param name="kernelSize">Kernel size (int or (h, w)).</param>
    /// <param name="stride">Stride (default 1).</param>
    /// <param name="padding">Int, (h, w), "same" or "valid" (default 0 = valid).</param>
    /// <param name="dilation">Dilation (default 1).</param>
    /// <param name="groups">Groups (in and out channels must be divisible by it; in = groups gives a depthwise conv).</param>
    /// <param name="bias">Whether to learn a bias.</param>
    /// <param name="activation">Activation applied to the output (Keras style); None by default.</param>
    public Conv2d(int inChannels, int outChannels, Size2 kernelSize, Size2? stride = null, Padding? padding = null,
        Size2? dilation = null, int groups = 1, bool bias = true, Activation activation = Activation.None)
        : base("conv2d")
    {
        if (inChannels <= 0) throw new ArgumentOutOfRangeException(nameof(inChannels), inChannels, "input channels must be positive");
        if (outChannels <= 0) throw new ArgumentOutOfRangeException(nameof(outChannels), outChannels, "output channels must be positive");
        if (groups <= 0 || inChannels % groups != 0 || outChannels % groups != 0)
            throw new ArgumentException($"groups={groups} must divide in_channels={inChannels} and out_channels={outChannels}", nameof(groups));
        if (kernelSize.H <= 0 || kernelSize.W <= 0) throw new ArgumentOutOfRangeException(nameof(kernelSize), kernelSize, "kernel size must be positive");
        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = stride ?? 1;
        Padding = padding ?? Padding.Valid;
        Dilation = dilation ?? 1;
        Groups = groups;
        Activation = activation;
        if (Stride.H <= 0 || Stride.W <= 0) throw new ArgumentOutOfRangeException(nameof(stride), Stride, "stride must be positive");
        if (Dilation.H <= 0 || Dilation.W <= 0) throw new ArgumentOutOfRangeException(nameof(dilation), Dilation, "dilation must be positive");

        Weight = RegisterParameter("weight", Tensor.Empty(new long[] { outChannels, inChannels / groups, kernelSize.H, kernelSize.W }));
        if (bias) Bias = RegisterParameter("bias", Tensor.Empty(new long[] { outChannels }));
        Init.TorchDefault(Weight.Value, Bias?.Value);
    }

    /// <summary>Input channels.</summary>
    public int InChannels { get; }
    /// <summary>Output channels (filters).</summary>
    public int OutChannels { get; }
    /// <summary>Kernel size.</summary>
    public Size2 KernelSize { get; }
    /// <summary>Stride.</summary>
    public Size2 Stride { get; }
    /// <summary>Padding.</summary>
    public Padding Padding { get; }
    /// <summary>Dilation.</summary>
    public Size2 Dilation { get; }
    /// <summary>Groups.</summary>
    public int Groups { get; }
    /// <summary>Fused activation.</summary>
    public Activation Activation { get; }
    /// <summary>The kernel [out, in/groups, kh, kw].</summary>
    public Parameter Weight { get; }
    /// <summary>The bias [out], or null.</summary>
    public Parameter? Bias { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        if (input.Dim != 4) throw new ArgumentException($"{Name}: expected an NCHW input, got {input}", nameof(input));
        var c = input.Size(1);
        if (c != InChannels) throw new ArgumentException($"{Name}: expected {InChannels} input channels, got {c} ({input})", nameof(input));
        var (top, bottom, left, right) = Padding.Resolve(input.Size(2), input.Size(3), KernelSize, Stride, Dilation);
        Tensor y;
        if (top == bottom && left == right)
        {
            y = Functional.Conv2d(input, Weight.Value, Bias?.Value, Stride.Tuple, (top, left), Dilation.Tuple, Groups);
        }
        else
        {
            // TensorFlow-style asymmetric "same" padding (odd total: extra row/column at the bottom/right).
            using var padded = Functional.Pad(input, new long[] { left, right, top, bottom });
            y = Functional.Conv2d(padded, Weight.Value, Bias?.Value, Stride.Tuple, (0, 0), Dilation.Tuple, Groups);
        }
        return Activations.ApplyAndDispose(Activation, y);
    }

    /// <inheritdoc />
    protected override string ExtraRepr =>
        $"{InChannels}, {OutChannels}, kernel_size={KernelSize}, stride={Stride}, padding={Padding}" +
        (Dilation != new Size2(1, 1) ? $", dilation={Dilation}" : "") + (Groups != 1 ? $", groups={Groups}" : "") +
        (Bias is null ? ", bias=False" : "") + (Activation != Activation.None ? $", activation={Activation}" : "");
}
