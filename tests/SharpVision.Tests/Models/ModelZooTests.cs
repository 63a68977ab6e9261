using SharpVision.Engine;
using SharpVision.Layers;
using SharpVision.Models;
using SharpVision.Tests.Support;

namespace SharpVision.Tests.Models;

public class ModelZooTests
{
    [Theory]
    [InlineData("resnet18", 11_689_512)]
    [InlineData("resnet34", 21_797_672)]
    [InlineData("resnet50", 25_557_032)]
    [InlineData("vgg16", 138_357_544)]
    [InlineData("vgg19", 143_667_240)]
    [InlineData("mobilenet_v2", 3_504_872)]
    [InlineData("inception_v3", 27_161_264)]
    public void TorchvisionModelsHaveThePublishedParameterCounts(string name, long expected)
    {
        using var model = ModelZoo.Create(name, new ModelOptions());
        Assert.Equal(expected, model.CountParameters());
    }

    [Theory]
    [InlineData("mini-inception", 100, 5_304_788)]
    [InlineData("mini-inception-small", 100, 2_597_260)]
    [InlineData("lenet5", 10, 61_706)]
    [InlineData("fashion-cnn", 10, 421_738)]
    [InlineData("cafe-cnn-dropout", 5, 2_146_245)]
    public void KerasStyleModelsHaveTheDocumentedCounts(string name, int classes, long expected)
    {
        var channels = name is "lenet5" or "fashion-cnn" ? 1 : 3;
        using var model = ModelZoo.Create(name, new ModelOptions { NumClasses = classes, InputChannels = channels });
        Assert.Equal(expected, model.CountParameters());
    }

    [Fact]
    public void CafeCnnSummaryMatchesTheKerasTableLayerByLayer()
    {
        using var model = ModelZoo.Create("cafe-cnn", new ModelOptions { NumClasses = 5 });
        var s = ModelSummary.Create(model, 3, 128, 128);
        var expected = new (string Name, long[] Shape, long Params)[]
        {
            ("conv2d", new long[] { 1, 32, 122, 122 }, 4_736),
            ("max_pooling2d", new long[] { 1, 32, 61, 61 }, 0),
            ("conv2d_1", new long[] { 1, 64, 57, 57 }, 51_264),
            ("max_pooling2d_1", new long[] { 1, 64, 28, 28 }, 0),
            ("conv2d_2", new long[] { 1, 128, 26, 26 }, 73_856),
            ("max_pooling2d_2", new long[] { 1, 128, 13, 13 }, 0),
            ("conv2d_3", new long[] { 1, 256, 11, 11 }, 295_168),
            ("max_pooling2d_3", new long[] { 1, 256, 5, 5 }, 0),
            ("flatten", new long[] { 1, 6400 }, 0),
            ("dense", new long[] { 1, 256 }, 1_638_656),
            ("dense_1", new long[] { 1, 256 }, 65_792),
            ("dense_2", new long[] { 1, 64 }, 16_448),
            ("dense_3", new long[] { 1, 5 }, 325),
        };
        Assert.Equal(expected.Length, s.Rows.Count);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i].Name, s.Rows[i].Name);
            Assert.Equal(expected[i].Shape, s.Rows[i].OutputShape);
            Assert.Equal(expected[i].Params, s.Rows[i].Parameters);
        }
        Assert.Equal(2_146_245, s.TotalParameters);
        Assert.Equal(2_146_245, s.TrainableParameters);
        Assert.Equal(0, s.NonTrainableParameters);
        var text = s.ToString();
        Assert.Contains("Total params: 2,146,245", text);
        Assert.Contains("(None, 32, 122, 122)", text);
        Assert.True(model.Training); // the probe pass restores the mode
    }

    /// <summary>
    /// The summary's mult-adds equal torchvision's published GFLOPS for its ImageNet weights (the weights enums' "_ops",
    /// convolutions and dense layers at batch 1), to their three decimals.
    /// </summary>
    [Theory]
    [InlineData("resnet18", 224, 1.814)]
    [InlineData("resnet34", 224, 3.664)]
    [InlineData("resnet50", 224, 4.089)]
    [InlineData("vgg16", 224, 15.470)]
    [InlineData("mobilenet_v2", 224, 0.301)]
    [InlineData("inception_v3", 299, 5.713)]
    public void SummaryMultAddsMatchTorchvisionsPublishedGflops(string name, int size, double gigaMultAdds)
    {
        using var model = ModelZoo.Create(name, new ModelOptions { NumClasses = 1000 });
        var s = ModelSummary.Create(model, 3, size, size);
        Assert.Equal(gigaMultAdds, Math.Round(s.TotalMultAdds / 1e9, 3));
        Assert.Contains($"Total mult-adds (G): {gigaMultAdds:0.000}", s.ToString());
    }

    [Fact]
    public void SummaryMultAddsCountEachConvolutionAndDenseLayerByHand()
    {
        using var model = ModelZoo.Create("cafe-cnn", new ModelOptions { NumClasses = 5 });
        var s = ModelSummary.Create(model, 3, 128, 128);
        long Row(string name) => s.Rows.Single(r => r.Name == name).MultAdds;
        Assert.Equal(32L * 122 * 122 * 3 * 7 * 7, Row("conv2d"));
        Assert.Equal(64L * 57 * 57 * 32 * 5 * 5, Row("conv2d_1"));
        Assert.Equal(6400L * 256, Row("dense"));
        Assert.Equal(0, Row("max_pooling2d"));
        Assert.Equal(s.Rows.Sum(r => r.MultAdds), s.TotalMultAdds);
    }

    [Fact]
    public void SummaryMultAddsOfATransposedConvolutionScatterEachInputElement()
    {
        using var up = new ConvTranspose2d(8, 4, 3, stride: 2, padding: 1, outputPadding: 1);
        var s = ModelSummary.Create(up, 8, 5, 7);
        Assert.Equal(new long[] { 1, 4, 10, 14 }, s.OutputShape);
        Assert.Equal(8L * 5 * 7 * 4 * 3 * 3, s.TotalMultAdds);
    }

    [Fact]
    public void SmallConvnetSummaryHasOneSigmoidUnitAndTheTextbookCount()
    {
        using var model = ModelZoo.Create("small-convnet", new ModelOptions { NumClasses = 2, OutputProbabilities = true, Dropout = 0.5 });
        var s = ModelSummary.Create(model, 3, 180, 180);
        Assert.Equal(991_041, s.TotalParameters);
        Assert.Equal(new long[] { 1, 1 }, s.OutputShape);
        Assert.Equal(new long[] { 1, 12544 }, s.Rows.Single(r => r.Name == "flatten").OutputShape);
        Assert.Equal(new long[] { 1, 256, 7, 7 }, s.Rows.Single(r => r.Name == "conv2d_4").OutputShape);
        Assert.Contains(s.Rows, r => r.Type == nameof(Dropout));
        using var many = ModelZoo.Create("small-convnet", new ModelOptions { NumClasses = 4 });
        Assert.Equal(991_041 - 12_545 + 12_544 * 4 + 4, many.CountParameters());
    }

    [Fact]
    public void SummaryCountsFrozenParametersAsNonTrainableAndListsUnusedAuxHead()
    {
        using var model = ModelZoo.Create("inception_v3", new ModelOptions { NumClasses = 10 });
        ((IClassifierModel)model).FreezeBackbone();
        var s = ModelSummary.Create(model, 3, 75, 75);
        Assert.Equal(model.CountParameters(), s.TotalParameters);
        Assert.Equal(2048 * 10 + 10 + 768 * 10 + 10, s.TrainableParameters);
        Assert.Contains(s.Rows, r => r.Path == "AuxLogits.conv0.conv" && r.OutputShape is null);
        Assert.Equal(s.TotalParameters, s.Rows.Sum(r => r.Parameters));
    }

    [Theory]
    [InlineData("lenet5", 28, 28, 10)]
    [InlineData("cafe-cnn", 128, 128, 5)]
    [InlineData("fashion-cnn", 32, 24, 5)]
    [InlineData("cafe-cnn-dropout", 128, 96, 5)]
    [InlineData("small-convnet", 180, 180, 3)]
    [InlineData("mini-inception", 32, 32, 100)]
    [InlineData("mini-inception-small", 32, 32, 100)]
    [InlineData("vgg16", 64, 64, 5)]
    [InlineData("vgg19", 32, 32, 5)]
    [InlineData("resnet18", 64, 64, 5)]
    [InlineData("resnet34", 64, 48, 5)]
    [InlineData("resnet50", 64, 64, 5)]
    [InlineData("mobilenet_v2", 64, 64, 5)]
    [InlineData("inception_v3", 75, 75, 5)]
    public void EveryModelRunsAtItsInputSize(string name, int height, int width, int classes)
    {
        Torch.ManualSeed(4);
        using var model = ModelZoo.Create(name, new ModelOptions { NumClasses = classes, InputHeight = height, InputWidth = width });
        model.Eval();
        using var scope = Torch.NewDisposeScope();
        using var _ = Torch.NoGrad();
        var y = model.Forward(Tensor.Randn(new long[] { 1, 3, height, width }));
        Assert.Equal(new long[] { 1, classes }, y.Shape);
        Assert.Equal(0, y.IsFinite().LogicalNot().Sum().ItemLong());
    }

    [Fact]
    public void UnknownNameListsTheValidNames()
    {
        var e = Assert.Throws<ArgumentException>(() => ModelZoo.Create("resnet99", new ModelOptions()));
        foreach (var n in ModelZoo.Names) Assert.Contains(n, e.Message);
        Assert.Equal(14, ModelZoo.Names.Count);
        Assert.Equal((299, 299), ModelZoo.DefaultInputSize("inception_v3"));
        Assert.Equal((128, 128), ModelZoo.DefaultInputSize("CAFE-CNN"));
    }

    [Fact]
    public void BadOptionsAndTooSmallInputsGiveClearErrors()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ModelZoo.Create("resnet18", new ModelOptions { NumClasses = 0 }));
        var e = Assert.Throws<ArgumentException>(() => ModelZoo.Create("cafe-cnn", new ModelOptions { InputHeight = 40, InputWidth = 40 }));
        Assert.Contains("too small", e.Message);
        using var inception = ModelZoo.Create("inception_v3", new ModelOptions { NumClasses = 2 });
        using var small = Tensor.Zeros(new long[] { 1, 3, 64, 64 });
        Assert.Contains("75", Assert.Throws<ArgumentException>(() => inception.Forward(small)).Message);
    }

    [Fact]
    public void TorchvisionInitialisationHasTheExpectedScale()
    {
        using var model = SeededModels.Create("resnet18", new ModelOptions(), 8);
        using var scope = Torch.NewDisposeScope();
        // kaiming_normal_(fan_out): std = √(2 / (64·7·7)). The sample std of n = 64·3·7·7 draws has a relative
        // standard error of 1/√(2n) ≈ 0.73 %: the bound is 5 standard errors, which holds for any seed, rather than a
        // number of decimals that holds for one draw.
        var weight = model.NamedParameters().Single(p => p.Name == "conv1.weight").Parameter.Value;
        var std = weight.Std().ItemFloat();
        var expected = Math.Sqrt(2.0 / (64 * 49));
        var standardError = expected / Math.Sqrt(2.0 * weight.NumberOfElements);
        Assert.InRange(std, expected - 5 * standardError, expected + 5 * standardError);
        var bn = (BatchNorm)model["layer1.0.bn1"];
        Assert.Equal(1f, bn.Weight!.Value.Min().ItemFloat());
    }
}
