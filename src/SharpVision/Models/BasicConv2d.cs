using SharpVision.Engine;
using SharpVision.Layers;

namespace SharpVision.Models;

/// <summary>Inception v3's conv unit (torchvision BasicConv2d): children "conv" (no bias) and "bn" (eps 0.001), then ReLU.</summary>
public sealed class BasicConv2d : Module
{
    private readonly Conv2d conv;
    private readonly BatchNorm2d bn;

    /// <summary>Creates the unit.</summary>
    public BasicConv2d(int inChannels, int outChannels, Size2 kernelSize, Size2? stride = null, Padding? padding = null)
        : base("basic_conv2d")
    {
        conv = RegisterModule("conv", new Conv2d(inChannels, outChannels, kernelSize, stride, padding ?? Padding.Valid, bias: false));
        bn = RegisterModule("bn", new BatchNorm2d(outChannels, eps: 0.001));
    }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        using var c = conv.Call(input);
        using var b = bn.Call(c);
        return Functional.Relu(b);
    }
}
