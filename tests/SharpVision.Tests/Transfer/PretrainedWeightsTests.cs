using SharpVision.Engine;
using SharpVision.Models;
using SharpVision.Tests.Support;
using SharpVision.Transfer.Pretrained;
using SharpVision.Transfer;

namespace SharpVision.Tests.Transfer;

public class PretrainedWeightsTests
{
    [Fact]
    public void WeightsLoadByNameWithTheHeadReplacedAndReported()
    {
        using var dir = new TempDirectory();
        Torch.ManualSeed(1);
        using (var source = ModelZoo.Create("lenet5", new ModelOptions { NumClasses = 10 }))
            TransferFixtures.SaveWeights(source, dir.File("lenet5_imagenet.safetensors"));
        using var reference = ModelZoo.Create("lenet5", new ModelOptions { NumClasses = 10 });
        PretrainedWeights.Load(reference, dir.File("lenet5_imagenet.safetensors"));

        Torch.ManualSeed(2);
        using var model = ModelZoo.Create("lenet5", new ModelOptions { NumClasses = 5 });
        var head = ((IClassifierModel)model).HeadPrefix;
        var report = PretrainedWeights.Load(model, "lenet5", searchFolders: new[] { dir.Path });

        Assert.Equal(dir.File("lenet5_imagenet.safetensors"), report.Source);
        Assert.True(report.BackboneComplete);
        Assert.Equal(new[] { $"{head}.bias", $"{head}.weight" }, report.SkippedHead);
        Assert.Equal(new[] { $"{head}.bias", $"{head}.weight" }, report.NewlyInitialised);
        Assert.Empty(report.Unexpected);
        Assert.Equal(model.NamedParameters().Count() - 2, report.Loaded.Count);
        Assert.Contains("newly initialised (new head): 2", report.Describe());
        // The backbone now equals the source; the 5-class head kept its own initialisation.
        var expected = TransferFixtures.Snapshot(reference);
        try
        {
            foreach (var name in report.Loaded) Assert.Equal(0, TransferFixtures.MaxDiff(model, expected, name));
        }
        finally
        {
            TransferFixtures.Free(expected);
        }
        Assert.Equal(new long[] { 5, ((IClassifierModel)model).FeatureDim }, model[head].DirectParameters().First(p => p.Name == "weight").Parameter.Shape);
    }

    [Fact]
    public void AFileForAnotherArchitectureIsRefusedBeforeAnythingIsCopied()
    {
        using var dir = new TempDirectory();
        using (var other = ModelZoo.Create("cafe-cnn", new ModelOptions { NumClasses = 5 }))
            TransferFixtures.SaveWeights(other, dir.File("cafe.safetensors"));
        using var model = ModelZoo.Create("lenet5", new ModelOptions { NumClasses = 5 });
        var before = TransferFixtures.Snapshot(model);
        try
        {
            var e = Assert.Throws<InvalidDataException>(() => PretrainedWeights.Load(model, dir.File("cafe.safetensors")));
            Assert.Contains("wrong architecture", e.Message);
            Assert.All(before.Keys, k => Assert.Equal(0, TransferFixtures.MaxDiff(model, before, k)));
            var lenient = PretrainedWeights.Load(model, dir.File("cafe.safetensors"), strictBackbone: false);
            Assert.False(lenient.BackboneComplete);
            Assert.NotEmpty(lenient.Unexpected);
        }
        finally
        {
            TransferFixtures.Free(before);
        }
    }

    [Fact]
    public void UnknownNamesAndMissingFilesExplainWhereTheyLooked()
    {
        using var dir = new TempDirectory();
        var e = Assert.Throws<FileNotFoundException>(() => PretrainedWeights.Resolve("resnet50", new[] { dir.Path }));
        Assert.Contains(dir.Path, e.Message);
        Assert.Contains("sharpvision weights fetch resnet50", e.Message);
        File.WriteAllBytes(dir.File("resnet50-0676ba61.pth"), new byte[] { 1, 2, 3 });
        // torchvision's downloaded .pth is used as it is: the restricted unpickler reads it without Python.
        Assert.Equal(dir.File("resnet50-0676ba61.pth"), PretrainedWeights.Resolve("resnet50", new[] { dir.Path }));
        Assert.Throws<FileNotFoundException>(() => PretrainedWeights.Resolve(dir.File("nope.safetensors")));
    }

    [Fact]
    public void TheCatalogKnowsTorchvisionUrlsWithTheirHashPrefixes()
    {
        var resnet = PretrainedCatalog.Get("ResNet50");
        Assert.Equal("https://download.pytorch.org/models/resnet50-0676ba61.pth", resnet.Url.ToString());
        Assert.Equal("0676ba61", resnet.HashPrefix);
        Assert.Equal("mobilenet_v2_imagenet.safetensors", PretrainedCatalog.Get("mobilenet_v2").LocalFileName);
        Assert.All(PretrainedCatalog.Entries, e => Assert.True(ModelZoo.Contains(e.Architecture)));
        Assert.Throws<ArgumentException>(() => PretrainedCatalog.Get("alexnet"));
    }
}
