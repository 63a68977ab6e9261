using SharpVision.Engine;
using SharpVision.Layers;

namespace SharpVision.Models;

/// <summary>Inception v3 Mixed_5b–5d (torchvision InceptionA): 1×1, 5×5, double 3×3 and pooled 1×1 branches.</summary>
public sealed class InceptionA : Module
{
    private readonly BasicConv2d b1, b5a, b5b, b3a, b3b, b3c, bp;

    /// <summary>Creates the block.</summary>
    public InceptionA(int inChannels, int poolFeatures) : base("inception_a")
    {
        b1 = RegisterModule("branch1x1", new BasicConv2d(inChannels, 64, 1));
        b5a = RegisterModule("branch5x5_1", new BasicConv2d(inChannels, 48, 1));
        b5b = RegisterModule("branch5x5_2", new BasicConv2d(48, 64, 5, padding: 2));
        b3a = RegisterModule("branch3x3dbl_1", new BasicConv2d(inChannels, 64, 1));
        b3b = RegisterModule("branch3x3dbl_2", new BasicConv2d(64, 96, 3, padding: 1));
        b3c = RegisterModule("branch3x3dbl_3", new BasicConv2d(96, 96, 3, padding: 1));
        bp = RegisterModule("branch_pool", new BasicConv2d(inChannels, poolFeatures, 1));
    }

    /// <inheritdoc />
    public override Tensor Forward(Tensor x)
    {
        var o1 = b1.Call(x);
        var o5 = Chain.Run(x, b5a, b5b);
        var o3 = Chain.Run(x, b3a, b3b, b3c);
        using var pooled = Functional.AvgPool2d(x, (3, 3), (1, 1), (1, 1));
        var op = bp.Call(pooled);
        return Chain.CatAndDispose(o1, o5, o3, op);
    }
}

/// <summary>Inception v3 Mixed_6a (torchvision InceptionB): grid reduction 35→17.</summary>
public sealed class InceptionB : Module
{
    private readonly BasicConv2d b3, d1, d2, d3;

    /// <summary>Creates the block.</summary>
    public InceptionB(int inChannels) : base("inception_b")
    {
        b3 = RegisterModule("branch3x3", new BasicConv2d(inChannels, 384, 3, stride: 2));
        d1 = RegisterModule("branch3x3dbl_1", new BasicConv2d(inChannels, 64, 1));
        d2 = RegisterModule("branch3x3dbl_2", new BasicConv2d(64, 96, 3, padding: 1));
        d3 = RegisterModule("branch3x3dbl_3", new BasicConv2d(96, 96, 3, stride: 2));
    }

    /// <inheritdoc />
    public override Tensor Forward(Tensor x)
    {
        var o3 = b3.Call(x);
        var od = Chain.Run(x, d1, d2, d3);
        var op = Functional.MaxPool2d(x, (3, 3), (2, 2));
        return Chain.CatAndDispose(o3, od, op);
    }
}

/// <summary>Inception v3 Mixed_6b–6e (torchvision InceptionC): factorised 7×7 branches.</summary>
public sealed class InceptionC : Module
{
    private readonly BasicConv2d b1, s1, s2, s3, d1, d2, d3, d4, d5, bp;

    /// <summary>Creates the block with <paramref name="channels7x7"/> channels inside the 7×7 branches.</summary>
    public InceptionC(int inChannels, int channels7x7) : base("inception_c")
    {
        var c7 = channels7x7;
        b1 = RegisterModule("branch1x1", new BasicConv2d(inChannels, 192, 1));
        s1 = RegisterModule("branch7x7_1", new BasicConv2d(inChannels, c7, 1));
        s2 = RegisterModule("branch7x7_2", new BasicConv2d(c7, c7, (1, 7), padding: (0, 3)));
        s3 = RegisterModule("branch7x7_3", new BasicConv2d(c7, 192, (7, 1), padding: (3, 0)));
        d1 = RegisterModule("branch7x7dbl_1", new BasicConv2d(inChannels, c7, 1));
        d2 = RegisterModule("branch7x7dbl_2", new BasicConv2d(c7, c7, (7, 1), padding: (3, 0)));
        d3 = RegisterModule("branch7x7dbl_3", new BasicConv2d(c7, c7, (1, 7), padding: (0, 3)));
        d4 = RegisterModule("branch7x7dbl_4", new BasicConv2d(c7, c7, (7, 1), padding: (3, 0)));
        d5 = RegisterModule("branch7x7dbl_5", new BasicConv2d(c7, 192, (1, 7), padding: (0, 3)));
        bp = RegisterModule("branch_pool", new BasicConv2d(inChannels, 192, 1));
    }

    /// <inheritdoc />
    public override Tensor Forward(Tensor x)
    {
        var o1 = b1.Call(x);
        var o7 = Chain.Run(x, s1, s2, s3);
        var od = Chain.Run(x, d1, d2, d3, d4, d5);
        using var pooled = Functional.AvgPool2d(x, (3, 3), (1, 1), (1, 1));
        var op = bp.Call(pooled);
        return Chain.CatAndDispose(o1, o7, od, op);
    }
}

/// <summary>Inception v3 Mixed_7a (torchvision InceptionD): grid reduction 17→8.</summary>
public sealed class InceptionD : Module
{
    private readonly BasicConv2d t1, t2, s1, s2, s3, s4;

    /// <summary>Creates the block.</summary>
    public InceptionD(int inChannels) : base("inception_d")
    {
        t1 = RegisterModule("branch3x3_1", new BasicConv2d(inChannels, 192, 1));
        t2 = RegisterModule("branch3x3_2", new BasicConv2d(192, 320, 3, stride: 2));
        s1 = RegisterModule("branch7x7x3_1", new BasicConv2d(inChannels, 192, 1));
        s2 = RegisterModule("branch7x7x3_2", new BasicConv2d(192, 192, (1, 7), padding: (0, 3)));
        s3 = RegisterModule("branch7x7x3_3", new BasicConv2d(192, 192, (7, 1), padding: (3, 0)));
        s4 = RegisterModule("branch7x7x3_4", new BasicConv2d(192, 192, 3, stride: 2));
    }

    /// <inheritdoc />
    public override Tensor Forward(Tensor x)
    {
        var o3 = Chain.Run(x, t1, t2);
        var o7 = Chain.Run(x, s1, s2, s3, s4);
        var op = Functional.MaxPool2d(x, (3, 3), (2, 2));
        return Chain.CatAndDispose(o3, o7, op);
    }
}

/// <summary>Inception v3 Mixed_7b–7c (torchvision InceptionE): expanded filter bank with split 1×3 / 3×1 convolutions.</summary>
public sealed class InceptionE : Module
{
    private readonly BasicConv2d b1, t1, t2a, t2b, d1, d2, d3a, d3b, bp;

    /// <summary>Creates the block.</summary>
    public InceptionE(int inChannels) : base("inception_e")
    {
        b1 = RegisterModule("branch1x1", new BasicConv2d(inChannels, 320, 1));
        t1 = RegisterModule("branch3x3_1", new BasicConv2d(inChannels, 384, 1));
        t2a = RegisterModule("branch3x3_2a", new BasicConv2d(384, 384, (1, 3), padding: (0, 1)));
        t2b = RegisterModule("branch3x3_2b", new BasicConv2d(384, 384, (3, 1), padding: (1, 0)));
        d1 = RegisterModule("branch3x3dbl_1", new BasicConv2d(inChannels, 448, 1));
        d2 = RegisterModule("branch3x3dbl_2", new BasicConv2d(448, 384, 3, padding: 1));
        d3a = RegisterModule("branch3x3dbl_3a", new BasicConv2d(384, 384, (1, 3), padding: (0, 1)));
        d3b = RegisterModule("branch3x3dbl_3b", new BasicConv2d(384, 384, (3, 1), padding: (1, 0)));
        bp = RegisterModule("branch_pool", new BasicConv2d(inChannels, 192, 1));
    }

    /// <inheritdoc />
    public override Tensor Forward(Tensor x)
    {
        var o1 = b1.Call(x);
        Tensor o3, od;
        using (var t = t1.Call(x)) o3 = Chain.CatAndDispose(t2a.Call(t), t2b.Call(t));
        using (var d = Chain.Run(x, d1, d2)) od = Chain.CatAndDispose(d3a.Call(d), d3b.Call(d));
        using var pooled = Functional.AvgPool2d(x, (3, 3), (1, 1), (1, 1));
        var op = bp.Call(pooled);
        return Chain.CatAndDispose(o1, o3, od, op);
    }
}

/// <summary>Inception v3's auxiliary classifier on Mixed_6e (torchvision InceptionAux): avg-pool 5/3, conv0, conv1, fc.</summary>
public sealed class InceptionAux : Module
{
    private readonly BasicConv2d conv0, conv1;

    /// <summary>Creates the head.</summary>
    public InceptionAux(int inChannels, int numClasses) : base("inception_aux")
    {
        conv0 = RegisterModule("conv0", new BasicConv2d(inChannels, 128, 1));
        conv1 = RegisterModule("conv1", new BasicConv2d(128, 768, 5));
        Fc = RegisterModule("fc", new Linear(768, numClasses));
    }

    internal Linear Fc { get; private set; }

    /// <summary>Replaces the classification layer.</summary>
    internal void ReplaceFc(Linear fc)
    {
        ReplaceModule("fc", fc);
        Fc = fc;
    }

    /// <inheritdoc />
    public override Tensor Forward(Tensor x)
    {
        if (x.Size(2) < 17 || x.Size(3) < 17)
            throw new ArgumentException($"the Inception v3 auxiliary head needs a 17×17 Mixed_6e map (299×299 input) but got {x}; train at 299 px or build with AuxLogits = false", nameof(x));
        using var p = Functional.AvgPool2d(x, (5, 5), (3, 3));
        using var c = Chain.Run(p, conv0, conv1);
        using var g = Functional.AdaptiveAvgPool2d(c, (1, 1));
        using var f = g.Flatten(1);
        return Fc.Call(f);
    }
}
