using SharpVision.Engine;
using SharpVision.Layers;

namespace SharpVision.Models;

/// <summary>ResNet-18/34 residual block (torchvision BasicBlock): conv1, bn1, relu, conv2, bn2, optional downsample.</summary>
public sealed class BasicBlock : Module
{
    /// <summary>Channel expansion of the block's output (1).</summary>
    public const int Expansion = 1;

    /// <summary>Creates the block.</summary>
    public BasicBlock(int inPlanes, int planes, int stride) : base("basic_block")
    {
        Conv1 = RegisterModule("conv1", new Conv2d(inPlanes, planes, 3, stride, 1, bias: false));
        Bn1 = RegisterModule("bn1", new BatchNorm2d(planes));
        Relu = RegisterModule("relu", new ReLU());
        Conv2 = RegisterModule("conv2", new Conv2d(planes, planes, 3, 1, 1, bias: false));
        Bn2 = RegisterModule("bn2", new BatchNorm2d(planes));
        if (stride != 1 || inPlanes != planes * Expansion)
            Downsample = RegisterModule("downsample", new Sequential(new Conv2d(inPlanes, planes * Expansion, 1, stride, bias: false), new BatchNorm2d(planes * Expansion)));
    }

    internal Conv2d Conv1 { get; }
    internal BatchNorm2d Bn1 { get; }
    internal ReLU Relu { get; }
    internal Conv2d Conv2 { get; }
    internal BatchNorm2d Bn2 { get; }
    internal Sequential? Downsample { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        using var a = Conv1.Call(input);
        using var b = Bn1.Call(a);
        using var c = Relu.Call(b);
        using var d = Conv2.Call(c);
        using var e = Bn2.Call(d);
        using var identity = Downsample is null ? input.Alias() : Downsample.Call(input);
        using var sum = e.Add(identity);
        return Relu.Call(sum);
    }
}

/// <summary>ResNet-50 bottleneck block (torchvision Bottleneck, stride on the 3×3 conv): 1×1 → 3×3 → 1×1 (×4).</summary>
public sealed class Bottleneck : Module
{
    /// <summary>Channel expansion of the block's output (4).</summary>
    public const int Expansion = 4;

    /// <summary>Creates the block.</summary>
    public Bottleneck(int inPlanes, int planes, int stride) : base("bottleneck")
    {
        var width = planes;
        Conv1 = RegisterModule("conv1", new Conv2d(inPlanes, width, 1, bias: false));
        Bn1 = RegisterModule("bn1", new BatchNorm2d(width));
        Conv2 = RegisterModule("conv2", new Conv2d(width, width, 3, stride, 1, bias: false));
        Bn2 = RegisterModule("bn2", new BatchNorm2d(width));
        Conv3 = RegisterModule("conv3", new Conv2d(width, planes * Expansion, 1, bias: false));
        Bn3 = RegisterModule("bn3", new BatchNorm2d(planes * Expansion));
        Relu = RegisterModule("relu", new ReLU());
        if (stride != 1 || inPlanes != planes * Expansion)
            Downsample = RegisterModule("downsample", new Sequential(new Conv2d(inPlanes, planes * Expansion, 1, stride, bias: false), new BatchNorm2d(planes * Expansion)));
    }

    internal Conv2d Conv1 { get; }
    internal BatchNorm2d Bn1 { get; }
    internal Conv2d Conv2 { get; }
    internal BatchNorm2d Bn2 { get; }
    internal Conv2d Conv3 { get; }
    internal BatchNorm2d Bn3 { get; }
    internal ReLU Relu { get; }
    internal Sequential? Downsample { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        using var a1 = Conv1.Call(input);
        using var b1 = Bn1.Call(a1);
        using var r1 = Relu.Call(b1);
        using var a2 = Conv2.Call(r1);
        using var b2 = Bn2.Call(a2);
        using var r2 = Relu.Call(b2);
        using var a3 = Conv3.Call(r2);
        using var b3 = Bn3.Call(a3);
        using var identity = Downsample is null ? input.Alias() : Downsample.Call(input);
        using var sum = b3.Add(identity);
        return Relu.Call(sum);
    }
}
