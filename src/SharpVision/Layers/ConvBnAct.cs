namespace SharpVision.Layers;

/// <summary>
/// Convolution (no bias) → BatchNorm2d → activation, torchvision's Conv2dNormActivation: children "0" (conv),
/// "1" (bn), "2" (activation, absent for <see cref="Activation.None"/>), so names match torchvision models such as
/// MobileNetV2 ("features.0.0.weight", "features.0.1.running_mean"). Padding defaults to (k−1)/2·dilation.
/// </summary>
public sealed class ConvBnAct : Sequential
{
    /// <summary>Creates the unit.</summary>
    public ConvBnAct(int inChannels, int outChannels, Size2 kernelSize, Size2? stride = null, Padding? padding = null, int groups = 1,
        Activation activation = Activation.Relu, Size2? dilation = null, double bnEps = 1e-5, double? bnMomentum = 0.1)
        : base("conv_bn_act", Array.Empty<Module>())
    {
        var d = dilation ?? 1;
        var pad = padding ?? Padding.Explicit((kernelSize.H - 1) / 2 * d.H, (kernelSize.W - 1) / 2 * d.W);
        Conv = new Conv2d(inChannels, outChannels, kernelSize, stride, pad, d, groups, bias: false);
        Bn = new BatchNorm2d(outChannels, bnEps, bnMomentum);
        Append(Conv);
        Append(Bn);
        if (activation != Activation.None) Append(Activations.CreateModule(activation));
        Activation = activation;
    }

    /// <summary>The convolution (child "0").</summary>
    public Conv2d Conv { get; }
    /// <summary>The batch norm (child "1").</summary>
    public BatchNorm2d Bn { get; }
    /// <summary>The activation (child "2" unless None).</summary>
    public Activation Activation { get; }
}
