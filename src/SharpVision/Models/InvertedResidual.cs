using SharpVision.Engine;
using SharpVision.Layers;

namespace SharpVision.Models;

/// <summary>
/// MobileNetV2 inverted residual block (torchvision InvertedResidual): child "conv" is a Sequential of
/// [1×1 expand ConvBnAct (if t ≠ 1)], 3×3 depthwise ConvBnAct, 1×1 linear Conv2d, BatchNorm2d; with a residual
/// connection when stride is 1 and the channel count is kept.
/// </summary>
public sealed class InvertedResidual : Module
{
    private readonly Sequential conv;

    /// <summary>Creates the block.</summary>
    public InvertedResidual(int input, int output, int stride, int expandRatio) : base("inverted_residual")
    {
        if (stride is not (1 or 2)) throw new ArgumentOutOfRangeException(nameof(stride), stride, "stride must be 1 or 2");
        var hidden = input * expandRatio;
        UseResidual = stride == 1 && input == output;
        conv = new Sequential();
        if (expandRatio != 1) conv.Append(new ConvBnAct(input, hidden, 1, activation: Activation.Relu6));
        conv.Append(new ConvBnAct(hidden, hidden, 3, stride, groups: hidden, activation: Activation.Relu6));
        conv.Append(new Conv2d(hidden, output, 1, bias: false));
        conv.Append(new BatchNorm2d(output));
        RegisterModule("conv", conv);
    }

    /// <summary>Whether the input is added to the output.</summary>
    public bool UseResidual { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        if (!UseResidual) return conv.Call(input);
        using var y = conv.Call(input);
        return input.Add(y);
    }
}
