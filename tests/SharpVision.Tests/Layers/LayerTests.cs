using SharpVision.Engine;
using SharpVision.Layers;

namespace SharpVision.Tests.Layers;

public class LayerTests
{
    private static Tensor Input(params long[] shape)
    {
        using var g = new Generator(7);
        return Tensor.Randn(shape, g);
    }

    [Theory]
    [InlineData("valid", 1, 30, 30)]
    [InlineData("same", 1, 32, 32)]
    [InlineData("same", 2, 16, 16)]
    [InlineData("1", 1, 32, 32)]
    public void Conv2dPaddingModesGiveKerasOutputSizes(string padding, int stride, long h, long w)
    {
        using var scope = Torch.NewDisposeScope();
        using var conv = new Conv2d(3, 8, 3, stride, padding);
        var y = conv.Forward(Input(2, 3, 32, 32));
        Assert.Equal(new long[] { 2, 8, h, w }, y.Shape);
    }

    [Fact]
    public void SameConvWithEvenKernelPadsBottomRightLikeTensorFlow()
    {
        using var scope = Torch.NewDisposeScope();
        using var conv = new Conv2d(1, 1, 2, padding: "same", bias: false);
        using (Torch.NoGrad()) conv.Weight.Value.Fill_(1);
        // 2×2 ones kernel on a 2×2 image: TF pads one row/column at the bottom/right only.
        var y = conv.Forward(Tensor.FromArray(new float[] { 1, 2, 3, 4 }, 1, 1, 2, 2));
        Assert.Equal(new float[] { 10, 6, 7, 4 }, y.ToArray<float>());
    }

    [Fact]
    public void DepthwiseConvHasOneFilterPerChannel()
    {
        using var conv = new Conv2d(16, 16, 3, padding: 1, groups: 16, bias: false);
        Assert.Equal(new long[] { 16, 1, 3, 3 }, conv.Weight.Shape);
        Assert.Throws<ArgumentException>(() => new Conv2d(16, 10, 3, groups: 4));
    }

    [Fact]
    public void LinearMatchesHandComputedValues()
    {
        using var scope = Torch.NewDisposeScope();
        using var fc = new Linear(2, 1, activation: Activation.Relu);
        using (Torch.NoGrad())
        {
            fc.Weight.Value.Copy_(Tensor.FromArray(new float[] { 2, -1 }, 1, 2));
            fc.Bias!.Value.Fill_(0.5);
        }
        var y = fc.Forward(Tensor.FromArray(new float[] { 1, 1, 0, 3 }, 2, 2));
        Assert.Equal(new float[] { 1.5f, 0f }, y.ToArray<float>());
        Assert.Throws<ArgumentException>(() => fc.Forward(Tensor.Zeros(new long[] { 1, 3 })));
    }

    [Fact]
    public void PoolingFlattenAndGlobalPoolShapes()
    {
        using var scope = Torch.NewDisposeScope();
        var x = Input(2, 4, 9, 9);
        Assert.Equal(new long[] { 2, 4, 4, 4 }, new MaxPool2d(2).Forward(x).Shape);
        Assert.Equal(new long[] { 2, 4, 5, 5 }, new MaxPool2d(2, ceilMode: true).Forward(x).Shape);
        Assert.Equal(new long[] { 2, 4, 3, 3 }, new AvgPool2d(3).Forward(x).Shape);
        Assert.Equal(new long[] { 2, 4 }, new GlobalAvgPool().Forward(x).Shape);
        Assert.Equal(new long[] { 2, 4, 1, 1 }, new GlobalAvgPool(flatten: false).Forward(x).Shape);
        Assert.Equal(new long[] { 2, 4, 7, 7 }, new AdaptiveAvgPool2d(7).Forward(x).Shape);
        Assert.Equal(new long[] { 2, 324 }, new Flatten().Forward(x).Shape);
    }

    [Fact]
    public void RescalingConvertsBytesAndAppliesScaleAndOffset()
    {
        using var scope = Torch.NewDisposeScope();
        var pixels = Tensor.FromArray(new byte[] { 0, 255 }, 1, 2);
        var y = new Rescaling(1.0 / 127.5, -1).Forward(pixels);
        Assert.Equal(DType.Float32, y.DType);
        Assert.Equal(new[] { -1f, 1f }, y.ToArray<float>());
    }

    [Fact]
    public void ActivationModulesComputeTheirFunctions()
    {
        using var scope = Torch.NewDisposeScope();
        var x = Tensor.FromArray(new float[] { -2, 0, 7 }, 1, 3);
        Assert.Equal(new float[] { 0, 0, 7 }, new ReLU().Forward(x).ToArray<float>());
        Assert.Equal(new float[] { 0, 0, 6 }, new ReLU6().Forward(x).ToArray<float>());
        Assert.Equal(new float[] { -0.2f, 0, 7 }, new LeakyReLU(0.1).Forward(x).ToArray<float>());
        Assert.Equal(1f, new Softmax().Forward(x).Sum().ItemFloat(), 5);
        Assert.Equal(0.5f, new Sigmoid().Forward(x).ToArray<float>()[1]);
        Assert.Equal(0f, new Tanh().Forward(x).ToArray<float>()[1]);
        Assert.Equal(0f, new SiLU().Forward(x).ToArray<float>()[1]);
        Assert.Equal(7f, new GELU().Forward(x).ToArray<float>()[2], 4);
        Assert.Equal(Activation.Relu, Activations.Parse("ReLU"));
        Assert.Throws<ArgumentException>(() => Activations.Parse("bogus"));
    }

    [Fact]
    public void ConcatenateAndAddMergeInputs()
    {
        using var scope = Torch.NewDisposeScope();
        var a = Tensor.Ones(new long[] { 1, 2, 3, 3 });
        var b = Tensor.Full(new long[] { 1, 2, 3, 3 }, 2);
        Assert.Equal(new long[] { 1, 4, 3, 3 }, new Concatenate().Forward(new[] { a, b }).Shape);
        Assert.Equal(3f, new Add().Forward(new[] { a, b }).Mean().ItemFloat());
        Assert.Throws<ArgumentException>(() => new Add().Forward(new[] { a, Tensor.Ones(new long[] { 1, 1, 3, 3 }) }));
    }

    [Fact]
    public void ConvBnActUsesTorchvisionChildNames()
    {
        using var unit = new ConvBnAct(3, 8, 3, stride: 2, activation: Activation.Relu6);
        Assert.Equal(new[] { "0.weight", "1.weight", "1.bias" }, unit.NamedParameters().Select(p => p.Name));
        Assert.Equal(new[] { "1.running_mean", "1.running_var", "1.num_batches_tracked" }, unit.NamedBuffers().Select(b => b.Name));
        Assert.IsType<ReLU6>(unit["2"]);
        Assert.Equal(new Padding(PaddingMode.Explicit, 1, 1), unit.Conv.Padding);
    }

    [Fact]
    public void InvalidArgumentsAreRejectedWithClearMessages()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Dropout(1.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Conv2d(0, 3, 3));
        var e = Assert.Throws<ArgumentException>(() => Padding.Parse("full"));
        Assert.Contains("same", e.Message);
        using var conv = new Conv2d(3, 4, 3);
        using var wrong = Tensor.Zeros(new long[] { 1, 5, 8, 8 });
        Assert.Contains("3 input channels", Assert.Throws<ArgumentException>(() => conv.Forward(wrong)).Message);
    }
}
