using SharpVision.Layers;

namespace SharpVision.Models;

/// <summary>Model-level initialisation schemes, applied in module order (deterministic after Torch.ManualSeed).</summary>
internal static class WeightInit
{
    /// <summary>
    /// torchvision's CNN scheme (ResNet, VGG, MobileNetV2): convolutions kaiming_normal_(mode="fan_out", relu) with
    /// zero bias; BatchNorm weight 1, bias 0; Linear N(0, 0.01) with zero bias when <paramref name="linearNormal"/>
    /// (VGG, MobileNetV2), otherwise PyTorch's default Linear init is kept (ResNet).
    /// </summary>
    public static void Torchvision(Module model, bool linearNormal)
    {
        foreach (var (_, m) in model.NamedModules())
        {
            switch (m)
            {
                case Conv2d c:
                    Init.KaimingNormal(c.Weight.Value, fanOut: true);
                    if (c.Bias is not null) Init.Constant(c.Bias.Value, 0);
                    break;
                case BatchNorm bn:
                    if (bn.Weight is not null) Init.Constant(bn.Weight.Value, 1);
                    if (bn.Bias is not null) Init.Constant(bn.Bias.Value, 0);
                    break;
                case Linear l when linearNormal:
                    Init.Normal(l.Weight.Value, 0, 0.01);
                    if (l.Bias is not null) Init.Constant(l.Bias.Value, 0);
                    break;
            }
        }
    }

    /// <summary>Keras defaults: glorot_uniform kernels, zero biases; BatchNorm γ 1, β 0.</summary>
    public static void Keras(Module model)
    {
        foreach (var (_, m) in model.NamedModules())
        {
            switch (m)
            {
                case Conv2d c:
                    Init.GlorotUniform(c.Weight.Value);
                    if (c.Bias is not null) Init.Constant(c.Bias.Value, 0);
                    break;
                case Linear l:
                    Init.GlorotUniform(l.Weight.Value);
                    if (l.Bias is not null) Init.Constant(l.Bias.Value, 0);
                    break;
                case BatchNorm bn:
                    if (bn.Weight is not null) Init.Constant(bn.Weight.Value, 1);
                    if (bn.Bias is not null) Init.Constant(bn.Bias.Value, 0);
                    break;
            }
        }
    }
}
