using SharpVision.Augmentation;
using SharpVision.Data;
using SharpVision.Engine;
using SharpVision.Imaging;
using SharpVision.Models;
using SharpVision.Tests.Support;
using SharpVision.Transfer.Features;
using SharpVision.Transfer;

namespace SharpVision.Tests.Transfer;

public class FeatureCacheTests
{
    private static readonly ImagePreprocessor Preprocessor = new(32, 32);

    [Fact]
    public void TheCacheHoldsPooledFeaturesOfEveryImageAndLeavesTheModelsModesAlone()
    {
        using var dir = new TempDirectory();
        var data = ImageFolderDataset.Open(TransferFixtures.WriteImageFolder(dir.File("data"), classes: 2, perClass: 5));
        using var model = TransferFixtures.ResNet18(2);
        model.Train();
        using (var cache = FeatureCache.Build(model, data, Preprocessor, Normalization.ImageNet, new FeatureCacheOptions { BatchSize = 4, Workers = 1 }))
        {
            Assert.Equal(10, cache.Count);
            Assert.Equal(512, cache.FeatureDim);
            Assert.Equal(Enumerable.Range(0, 10), cache.Indices);
            Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)data.Label(i)), cache.Labels.ToArray<long>());
            Assert.False(cache.LoadedFromFile);
            // Row i equals the backbone run on image i alone (eval mode).
            using var scope = Torch.NewDisposeScope();
            using var noGrad = Torch.NoGrad();
            model.Eval();
            var single = model.ForwardFeatures(Normalization.ImageNet.Apply(Preprocessor.ToTensor(data.Load(7))));
            var row = cache.Features.Narrow(0, 7, 1);
            Assert.True(row.Abs().Max().Item() > 0.1);
            Assert.True((single - row).Abs().Max().Item() < 1e-4);
            model.Train();
        }
        Assert.True(model.Training);
        Assert.True(model["layer3.0.bn1"].Training);
    }

    [Fact]
    public void AStaleCacheIsDetectedAndRebuilt()
    {
        using var dir = new TempDirectory();
        var root = TransferFixtures.WriteImageFolder(dir.File("data"), classes: 2, perClass: 4);
        var path = dir.File("cache/features.safetensors");
        var options = new FeatureCacheOptions { CachePath = path, ModelName = "mobilenet_v2", BatchSize = 8, Workers = 1 };
        using var model = TransferFixtures.MobileNet(2);
        var messages = new List<string>();
        options = options with { Log = messages.Add };

        using (var first = FeatureCache.Build(model, ImageFolderDataset.Open(root), Preprocessor, Normalization.ImageNet, options))
            Assert.False(first.LoadedFromFile);
        Assert.True(File.Exists(path));
        using (var again = FeatureCache.Build(model, ImageFolderDataset.Open(root), Preprocessor, Normalization.ImageNet, options))
        {
            Assert.True(again.LoadedFromFile);
            Assert.Equal(8, again.Count);
        }

        // Touching the files (a copy or re-sync) keeps the cache; the fingerprint is the content, not the time.
        foreach (var f in Directory.GetFiles(root, "*", SearchOption.AllDirectories)) File.SetLastWriteTimeUtc(f, DateTime.UtcNow.AddDays(1));
        using (var touched = FeatureCache.Build(model, ImageFolderDataset.Open(root), Preprocessor, Normalization.ImageNet, options))
            Assert.True(touched.LoadedFromFile);

        // An edit that keeps the size and the time stamp still makes it stale.
        var edited = Path.Combine(root, "class0", "img01.png");
        var stamp = File.GetLastWriteTimeUtc(edited);
        var bytes = File.ReadAllBytes(edited);
        bytes[^5] ^= 0xFF; // inside the IEND chunk's CRC: same length, other bytes
        File.WriteAllBytes(edited, bytes);
        File.SetLastWriteTimeUtc(edited, stamp);
        using (var changed = FeatureCache.Build(model, ImageFolderDataset.Open(root), Preprocessor, Normalization.ImageNet, options))
            Assert.False(changed.LoadedFromFile);

        // A replaced image (other size on disk) makes the cache stale.
        var file = Path.Combine(root, "class1", "img02.png");
        PngEncoder.Save(new RgbImage(40, 40, 3, Enumerable.Repeat((byte)9, 40 * 40 * 3).ToArray()), file);
        using (var rebuilt = FeatureCache.Build(model, ImageFolderDataset.Open(root), Preprocessor, Normalization.ImageNet, options))
            Assert.False(rebuilt.LoadedFromFile);
        Assert.Contains(messages, m => m.Contains("the dataset changed"));

        // So do other backbone weights, another input size and another normalisation; a new head does not.
        model.ReplaceHead(2);
        using (var sameBackbone = FeatureCache.Build(model, ImageFolderDataset.Open(root), Preprocessor, Normalization.ImageNet, options))
            Assert.True(sameBackbone.LoadedFromFile);
        using (Torch.NoGrad()) model.Model["features.3.conv.1.0"].DirectParameters().First().Parameter.Value.Mul_(1.01);
        using (var newWeights = FeatureCache.Build(model, ImageFolderDataset.Open(root), Preprocessor, Normalization.ImageNet, options))
            Assert.False(newWeights.LoadedFromFile);
        Assert.Contains(messages, m => m.Contains("the backbone weights changed"));
        using (var bigger = FeatureCache.Build(model, ImageFolderDataset.Open(root), new ImagePreprocessor(40, 40), Normalization.ImageNet, options))
            Assert.False(bigger.LoadedFromFile);
        using (var unit = FeatureCache.Build(model, ImageFolderDataset.Open(root), new ImagePreprocessor(40, 40), Normalization.Unit, options))
            Assert.False(unit.LoadedFromFile);
    }

    [Fact]
    public void FeatureTapsArePartOfTheCachesIdentityInBothDirections()
    {
        using var dir = new TempDirectory();
        var root = TransferFixtures.WriteImageFolder(dir.File("data"), classes: 2, perClass: 3);
        var messages = new List<string>();
        var options = new FeatureCacheOptions { CachePath = dir.File("features.safetensors"), ModelName = "resnet18", BatchSize = 8, Workers = 1, Log = messages.Add };
        using var plain = TransferFixtures.ResNet18(2);
        Torch.ManualSeed(7);
        using var tapped = (ResNet)ModelZoo.Create("resnet18", new ModelOptions { NumClasses = 2, FeatureTaps = new[] { "layer3" } });
        var state = plain.StateDict();
        tapped.LoadStateDict(state.Where(kv => !kv.Key.StartsWith("fc.", StringComparison.Ordinal)).ToDictionary(kv => kv.Key, kv => kv.Value), strict: false);
        foreach (var t in state.Values) t.Dispose();
        Assert.Equal(FeatureCacheKey.BackboneHash(plain), FeatureCacheKey.BackboneHash(tapped));

        using (var first = FeatureCache.Build(plain, ImageFolderDataset.Open(root), Preprocessor, Normalization.ImageNet, options))
            Assert.Equal(512, first.FeatureDim);
        using (var withTaps = FeatureCache.Build(tapped, ImageFolderDataset.Open(root), Preprocessor, Normalization.ImageNet, options))
        {
            Assert.False(withTaps.LoadedFromFile);
            Assert.Equal(512 + 256, withTaps.FeatureDim);
        }
        Assert.Contains(messages, m => m.Contains("feature_taps"));
        using (var again = FeatureCache.Build(tapped, ImageFolderDataset.Open(root), Preprocessor, Normalization.ImageNet, options))
            Assert.True(again.LoadedFromFile);
        // The tapped file must not pass for the plain model's cache either.
        using (var back = FeatureCache.Build(plain, ImageFolderDataset.Open(root), Preprocessor, Normalization.ImageNet, options))
        {
            Assert.False(back.LoadedFromFile);
            Assert.Equal(512, back.FeatureDim);
        }
    }

    [Fact]
    public void AugmentedPassesAreStoredAndServedOnePerEpoch()
    {
        using var dir = new TempDirectory();
        var data = ImageFolderDataset.Open(TransferFixtures.WriteImageFolder(dir.File("data"), classes: 2, perClass: 3));
        using var model = TransferFixtures.ResNet18(2);
        var spec = AugmentationSpec.Parse("flip=h,rotate=20");
        using var cache = FeatureCache.Build(model, data, Preprocessor, Normalization.ImageNet,
            new FeatureCacheOptions { AugmentedPasses = 2, Augmentation = spec, Seed = 5, Workers = 1, CachePath = dir.File("aug.safetensors") });
        Assert.Equal(2, cache.AugmentedPasses);
        using (var scope = Torch.NewDisposeScope())
        {
            var scale = cache.Features.Abs().Max().Item();
            var d0 = (cache.AugmentedFeatures[0] - cache.Features).Abs().Max().Item();
            var d1 = (cache.AugmentedFeatures[1] - cache.AugmentedFeatures[0]).Abs().Max().Item();
            Assert.True(scale > 0.1 && d0 > 1e-2 * scale && d1 > 1e-2 * scale, $"pass differences {d0}, {d1}; feature scale {scale}");
        }
        using (var loaded = FeatureCache.Load(dir.File("aug.safetensors")))
        {
            Assert.Equal(2, loaded.AugmentedPasses);
            using var scope = Torch.NewDisposeScope();
            Assert.Equal(0, (loaded.AugmentedFeatures[1] - cache.AugmentedFeatures[1]).Abs().Max().Item());
        }

        var source = new FeatureBatchSource(cache, batchSize: 4, shuffle: true, seed: 3);
        Assert.Equal(2, source.BatchesPerEpoch);
        Assert.Equal(new[] { 0, 1, 0 }, new[] { 0, 1, 2 }.Select(source.PassForEpoch));
        foreach (var epoch in new[] { 0, 1 })
        {
            var order = source.EpochOrder(epoch);
            var batches = source.GetBatches(epoch).ToList();
            try
            {
                Assert.Equal(order, batches.SelectMany(b => b.Indices));
                using var scope = Torch.NewDisposeScope();
                var expected = cache.AugmentedFeatures[epoch].Narrow(0, order[0], 1);
                Assert.Equal(0, (batches[0].Inputs.Narrow(0, 0, 1) - expected).Abs().Max().Item());
            }
            finally
            {
                foreach (var b in batches) b.Dispose();
            }
        }
        Assert.Throws<ArgumentException>(() => FeatureCache.Build(model, data, Preprocessor, Normalization.ImageNet, new FeatureCacheOptions { AugmentedPasses = 1 }));
    }

    [Fact]
    public void OneCacheOfAFolderServesEachOfItsPartsAsThatPartsOwnCacheWould()
    {
        using var dir = new TempDirectory();
        var data = ImageFolderDataset.Open(TransferFixtures.WriteImageFolder(dir.File("data"), classes: 2, perClass: 6));
        using var model = TransferFixtures.MobileNet(2);
        var options = new FeatureCacheOptions { BatchSize = 5, Workers = 1 };
        using var all = FeatureCache.Build(model, data, Preprocessor, Normalization.ImageNet,
            options with { AugmentedPasses = 1, Augmentation = AugmentationSpec.Parse("flip=h,rotate=20"), Seed = 2 });
        var (train, validation) = DatasetSplit.Fold(data, new CrossValidationFold(1, 3), seed: 0);
        var nested = new SubsetDataset(train, new[] { 5, 0, 3 }); // a view of a view: the training part less some images
        foreach (var part in new ImageDataset[] { train, validation, nested })
        {
            var (root, indices) = SubsetDataset.Flatten(part);
            Assert.Same(data, root);
            Assert.Equal(Enumerable.Range(0, part.Count).Select(part.Name), indices.Select(data.Name));
            using var selected = all.Select(indices);
            using var own = FeatureCache.Build(model, part, Preprocessor, Normalization.ImageNet, options);
            Assert.Equal(own.Indices, selected.Indices);
            Assert.Equal(own.Labels.ToArray<long>(), selected.Labels.ToArray<long>());
            Assert.Equal(own.Features.Shape, selected.Features.Shape);
            using var scope = Torch.NewDisposeScope();
            Assert.True((own.Features - selected.Features).Abs().Max().Item() < 1e-4);
            // The augmented pass comes along row for row unless only the clean pass is asked for (validation).
            Assert.Equal(1, selected.AugmentedPasses);
            var expected = all.AugmentedFeatures[0].IndexSelect(0, Tensor.FromArray(indices.Select(i => (long)i).ToArray()));
            Assert.Equal(0, (selected.AugmentedFeatures[0] - expected).Abs().Max().Item());
            using var cleanOnly = all.Select(indices, withAugmentedPasses: false);
            Assert.Equal(0, cleanOnly.AugmentedPasses);
        }
        var (self, identity) = SubsetDataset.Flatten(data); // a dataset that is no view is its own root
        Assert.Same(data, self);
        Assert.Equal(Enumerable.Range(0, data.Count), identity);
        Assert.Throws<ArgumentException>(() => all.Select(Array.Empty<int>()));
    }

    [Fact]
    public void FeatureBatchesFollowTheDataLoadersShuffledOrder()
    {
        using var dir = new TempDirectory();
        var data = ImageFolderDataset.Open(TransferFixtures.WriteImageFolder(dir.File("data"), classes: 2, perClass: 5));
        using var model = TransferFixtures.MobileNet(2);
        using var cache = FeatureCache.Build(model, data, Preprocessor, Normalization.ImageNet, new FeatureCacheOptions { Workers = 1 });
        var loader = new DataLoader(data, Preprocessor, new DataLoaderOptions { BatchSize = 3, Seed = 11, Workers = 1 });
        var source = new FeatureBatchSource(cache, batchSize: 3, seed: 11);
        for (var epoch = 0; epoch < 2; epoch++)
        {
            loader.SetEpoch(epoch);
            Assert.Equal(loader.EpochIndices(), source.EpochOrder(epoch));
        }
    }
}
