using SharpVision.Engine;

namespace SharpVision.Layers;

/// <summary>Transposed 2-D convolution (torch.nn.ConvTranspose2d). Weight [in, out/groups, kh, kw].</summary>
public sealed class ConvTranspose2d : Module
{
    /// <summary>Creates the layer (PyTorch default initialisation).</summary>
    public ConvTranspose2d(int inChannels, int outChannels, Size2 kernelSize, Size2? stride = null, Size2? padding = null,
        Size2? outputPadding = null, int groups = 1, bool bias = true, Size2? dilation = null)
        : base("conv2d_transpose")
    {
        if (inChannels <= 0 || outChannels <= 0) throw new ArgumentOutOfRangeException(nameof(inChannels), $"channels must be positive, got in={inChannels}, out={outChannels}");
        if (groups <= 0 || inChannels % groups != 0 || outChannels % groups != 0)
            throw new ArgumentException($"groups={groups} must divide in_channels={inChannels} and out_channels={outChannels}", nameof(groups));
        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = stride ?? 1;
        PaddingSize = padding ?? 0;
        OutputPadding = outputPadding ?? 0;
        Dilation = dilation ?? 1;
        Groups = groups;
        Weight = RegisterParameter("weight", Tensor.Empty(new long[] { inChannels, outChannels / groups, kernelSize.H, kernelSize.W }));
        if (bias) Bias = RegisterParameter("bias", Tensor.Empty(new long[] { outChannels }));
        Init.TorchDefault(Weight.Value, Bias?.Value);
    }

    /// <summary>Input channels.</summary>
    public int InChannels { get; }
    /// <summary>Output channels.</summary>
    public int OutChannels { get; }
    /// <summary>Kernel size.</summary>
    public Size2 KernelSize { get; }
    /// <summary>Stride.</summary>
    public Size2 Stride { get; }
    /// <summary>Implicit padding removed from the output (PyTorch semantics).</summary>
    public Size2 PaddingSize { get; }
    /// <summary>Extra size added to one side of the output.</summary>
    public Size2 OutputPadding { get; }
    /// <summary>Dilation.</summary>
    public Size2 Dilation { get; }
    /// <summary>Groups.</summary>
    public int Groups { get; }
    /// <summary>The kernel [in, out/groups, kh, kw].</summary>
    public Parameter Weight { get; }
    /// <summary>The bias, or null.</summary>
    public Parameter? Bias { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        if (input.Dim != 4 || input.Size(1) != InChannels)
            throw new ArgumentException($"{Name}: expected NCHW input with {InChannels} channels, got {input}", nameof(input));
        return Functional.ConvTranspose2d(input, Weight.Value, Bias?.Value, Stride.Tuple, PaddingSize.Tuple, OutputPadding.Tuple, Groups, Dilation.Tuple);
    }

    /// <inheritdoc />
    protected override string ExtraRepr => $"{InChannels}, {OutChannels}, kernel_size={KernelSize}, stride={Stride}";
}
