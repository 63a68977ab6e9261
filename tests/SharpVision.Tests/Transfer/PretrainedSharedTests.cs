using SharpVision.Data;
using SharpVision.Engine;
using SharpVision.Imaging;
using SharpVision.Models;
using SharpVision.Tests.Support;
using SharpVision.Transfer.Pretrained;
using SharpVision.Transfer;

namespace SharpVision.Tests.Transfer;

public class TransferPretrainedSharedTests
{
    private const string Weights = "pretrained/mobilenet_v2_imagenet.safetensors";

    private static string[] TopClasses(string photo, int k)
    {
        using var model = ModelZoo.Create("mobilenet_v2", new ModelOptions());
        var report = PretrainedWeights.Load(model, TestPaths.Shared(Weights));
        Assert.True(report.BackboneComplete);
        Assert.Empty(report.NewlyInitialised);
        model.Eval();
        var names = File.ReadAllLines(TestPaths.Shared("pretrained/imagenet_classes.txt")).Select(l => l.Split(',')[0].Trim()).ToArray();
        var image = ImageDecoder.DecodeFile(TestPaths.Shared(photo));
        var preprocessor = ImagePreprocessor.ResizeThenCenterCrop(256, 224);
        using var scope = Torch.NewDisposeScope();
        using var noGrad = Torch.NoGrad();
        var x = Normalization.ImageNet.Apply(preprocessor.ToTensor(image));
        var probabilities = model.Forward(x).Softmax(1);
        var (_, index) = probabilities.TopK(k, 1);
        return index.ToArray<long>().Select(i => names[i]).ToArray();
    }

    [SharedDataFact(Weights)]
    public void SharedMobileNetV2RecognisesTheCat()
    {
        var top3 = TopClasses("photos/chelsea.png", 3);
        Assert.Contains(top3, c => c is "Egyptian cat" or "tiger cat" or "tabby");
        Assert.Equal("Egyptian cat", top3[0]);
    }

    [SharedDataFact(Weights)]
    public void SharedMobileNetV2RecognisesTheEspresso()
    {
        Assert.Equal("espresso", TopClasses("photos/coffee.png", 1)[0]);
    }

    [SharedDataFact(Weights)]
    public void SharedWeightsResolveByNameWithANewFiveClassHead()
    {
        Assert.Equal("mobilenet_v2_imagenet.safetensors", Path.GetFileName(PretrainedWeights.Resolve("mobilenet_v2")));
        using var model = ModelZoo.Create("mobilenet_v2", new ModelOptions { NumClasses = 5 });
        var report = PretrainedWeights.Load(model, "mobilenet_v2");
        Assert.Equal(260, report.Loaded.Count);
        Assert.Equal(new[] { "classifier.1.bias", "classifier.1.weight" }, report.NewlyInitialised);
    }
}
