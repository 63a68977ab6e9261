using SharpVision.Data;
using SharpVision.Engine;
using SharpVision.Models;
using SharpVision.Tests.Support;
using SharpVision.Training;
using SharpVision.Training.Optimizers;
using SharpVision.Transfer;

namespace SharpVision.Tests.Transfer;

public class FineTuneRecipeTests
{
    private static readonly ImagePreprocessor Preprocessor = new(32, 32);

    private static FineTuneOptions Options(string run) => new()
    {
        RunDirectory = run,
        BatchSize = 4,
        InferenceBatchSize = 8,
        Workers = 1,
        Seed = 3,
        HeadSchedule = "constant",
        FineTuneSchedule = "constant",
        Log = _ => { },
    };

    [Fact]
    public void CachedHeadTrainingMatchesRunningTheBackboneEveryStep()
    {
        using var dir = new TempDirectory();
        var data = ImageFolderDataset.Open(TransferFixtures.WriteImageFolder(dir.File("data"), classes: 2, perClass: 5));
        using var cached = TransferFixtures.ResNet18(2);
        using var endToEnd = TransferFixtures.ResNet18(2);
        var initial = TransferFixtures.Snapshot(cached);
        try
        {
            endToEnd.LoadStateDict(initial);
            var descriptor = TransferFixtures.Descriptor(data.ClassNames, "resnet18");
            // SGD: updates are linear in the gradients, so float-rounding differences between batched and per-step
            // backbone passes stay at rounding size (Adam would turn near-zero gradients into full-size steps).
            var options = Options("") with
            {
                HeadEpochs = 3, FineTuneEpochs = 0, HeadLearningRate = 0.05,
                OptimizerFactory = (groups, lr) => new Sgd(groups, lr, momentum: 0.9),
            };
            var a = FineTuneRecipe.Run(cached, data, null, Preprocessor, Normalization.ImageNet, descriptor,
                options with { RunDirectory = dir.File("cached"), HeadPhase = HeadPhaseMode.Cached });
            var b = FineTuneRecipe.Run(endToEnd, data, null, Preprocessor, Normalization.ImageNet, descriptor,
                options with { RunDirectory = dir.File("e2e"), HeadPhase = HeadPhaseMode.EndToEnd });
            Assert.Equal(HeadPhaseMode.Cached, a.HeadMode);
            Assert.Equal(HeadPhaseMode.EndToEnd, b.HeadMode);
            Assert.True(File.Exists(dir.File("cached/features-train.safetensors")));
            Assert.False(File.Exists(dir.File("e2e/features-train.safetensors")));

            // The head moved, identically in both runs (same data order); the backbone did not move.
            Assert.True(TransferFixtures.MaxDiff(cached, initial, "fc.bias") > 1e-3);
            Assert.True(TransferFixtures.MaxDiff(cached, initial, "fc.weight") > 1e-3);
            var trained = TransferFixtures.Snapshot(endToEnd);
            try
            {
                var moved = TransferFixtures.MaxDiff(cached, initial, "fc.weight");
                var weight = TransferFixtures.MaxDiff(cached, trained, "fc.weight");
                var bias = TransferFixtures.MaxDiff(cached, trained, "fc.bias");
                Assert.True(weight < 1e-4 * moved && bias < 1e-4 * moved, $"cached vs end-to-end: weight {weight}, bias {bias} (the weight moved {moved})");
            }
            finally
            {
                TransferFixtures.Free(trained);
            }
            Assert.Equal(0, TransferFixtures.MaxDiff(cached, initial, "layer4.1.conv2.weight"));
            Assert.Equal(0, TransferFixtures.MaxDiff(cached, initial, "bn1.running_mean"));
            Assert.Equal(a.HeadHistory.Series("loss"), b.HeadHistory.Series("loss"), (x, y) => Math.Abs(x - y) < 1e-4);

            // The saved model file is the complete network with the trained head.
            var (reloaded, _) = ModelFile.Load(a.FinalModelPath);
            using (reloaded)
            {
                var saved = TransferFixtures.Snapshot(reloaded);
                try { Assert.Equal(0, TransferFixtures.MaxDiff(cached, saved, "fc.weight")); }
                finally { TransferFixtures.Free(saved); }
            }
        }
        finally
        {
            TransferFixtures.Free(initial);
        }
    }

    [Fact]
    public void TheFoldsOfOneFolderShareOneFeatureCacheAndTrainTheHeadAsWithTheirOwn()
    {
        using var dir = new TempDirectory();
        var data = ImageFolderDataset.Open(TransferFixtures.WriteImageFolder(dir.File("data"), classes: 2, perClass: 6));
        var descriptor = TransferFixtures.Descriptor(data.ClassNames, "resnet18");
        var options = Options("") with
        {
            HeadEpochs = 2, FineTuneEpochs = 0, HeadLearningRate = 0.05, HeadPhase = HeadPhaseMode.Cached,
            FeatureCacheDirectory = dir.File("cache"),
            OptimizerFactory = (groups, lr) => new Sgd(groups, lr, momentum: 0.9),
        };
        var messages = new List<string>();
        using var initialModel = TransferFixtures.ResNet18(2);
        var initial = TransferFixtures.Snapshot(initialModel);
        try
        {
            var (train0, val0) = DatasetSplit.Fold(data, new CrossValidationFold(0, 3), seed: 0);
            using (var first = TransferFixtures.ResNet18(2))
            {
                first.LoadStateDict(initial);
                var r = FineTuneRecipe.Run(first, train0, val0, Preprocessor, Normalization.ImageNet, descriptor,
                    options with { RunDirectory = dir.File("f0"), Log = messages.Add });
                Assert.True(r.FeatureExtractionTime > TimeSpan.Zero);
            }
            Assert.True(File.Exists(dir.File("cache/features-all.safetensors")));
            Assert.False(File.Exists(dir.File("cache/features-train.safetensors")));
            Assert.Contains(messages, m => m.Contains("one feature cache of all 12 images"));

            // The next fold reads the same file: no backbone pass.
            var (train1, val1) = DatasetSplit.Fold(data, new CrossValidationFold(1, 3), seed: 0);
            using var shared = TransferFixtures.ResNet18(2);
            shared.LoadStateDict(initial);
            var second = FineTuneRecipe.Run(shared, train1, val1, Preprocessor, Normalization.ImageNet, descriptor,
                options with { RunDirectory = dir.File("f1"), Log = messages.Add });
            Assert.Equal(TimeSpan.Zero, second.FeatureExtractionTime);
            Assert.Equal(2, second.HeadHistory.Series("val_accuracy").Count(double.IsFinite));

            // The same fold with a cache of its own training images gives the same head.
            using var own = TransferFixtures.ResNet18(2);
            own.LoadStateDict(initial);
            FineTuneRecipe.Run(own, train1, null, Preprocessor, Normalization.ImageNet, descriptor,
                options with { RunDirectory = dir.File("own"), FeatureCacheDirectory = null });
            Assert.True(File.Exists(dir.File("own/features-train.safetensors")));
            var moved = TransferFixtures.MaxDiff(shared, initial, "fc.weight");
            var ownWeights = TransferFixtures.Snapshot(own);
            try
            {
                var diff = TransferFixtures.MaxDiff(shared, ownWeights, "fc.weight");
                Assert.True(moved > 1e-3 && diff < 1e-4 * moved, $"shared vs own cache: {diff} (the weight moved {moved})");
            }
            finally
            {
                TransferFixtures.Free(ownWeights);
            }
        }
        finally
        {
            TransferFixtures.Free(initial);
        }
    }

    [Fact]
    public void WithImageCachingBothPhasesShareOneLoaderAndDecodeEachImageOnce()
    {
        using var dir = new TempDirectory();
        var folder = ImageFolderDataset.Open(TransferFixtures.WriteImageFolder(dir.File("data"), classes: 2, perClass: 4));
        var (trainPart, validationPart) = DatasetSplit.Stratified(folder, 0.25, seed: 0);
        var train = new CountingDataset(trainPart);
        var validation = new CountingDataset(validationPart);
        using var model = TransferFixtures.MobileNet(2);
        var result = FineTuneRecipe.Run(model, train, validation, Preprocessor, Normalization.ImageNet, TransferFixtures.Descriptor(folder.ClassNames),
            Options(dir.File("run")) with
            {
                HeadEpochs = 2, FineTuneEpochs = 2, HeadPhase = HeadPhaseMode.EndToEnd, CacheImages = true,
                Unfreeze = FreezeSpec.Parse("features.18"),
            });
        Assert.Equal(4, result.HeadHistory.Count + result.FineTuneHistory.Count);
        // Four epochs of each side, one decode per image.
        Assert.Equal(train.Count, train.Loads);
        Assert.Equal(validation.Count, validation.Loads);
    }

    /// <summary>Counts image loads (decodes) of the dataset it wraps.</summary>
    private sealed class CountingDataset(ImageDataset inner) : ImageDataset
    {
        private int loads;

        public int Loads => Volatile.Read(ref loads);

        public override int Count => inner.Count;

        public override IReadOnlyList<string> ClassNames => inner.ClassNames;

        public override int Channels => inner.Channels;

        public override SkippedFilesReport Skipped => inner.Skipped;

        public override int Label(int index) => inner.Label(index);

        public override string Name(int index) => inner.Name(index);

        public override SharpVision.Imaging.RgbImage Load(int index)
        {
            Interlocked.Increment(ref loads);
            return inner.Load(index);
        }
    }

    [Fact]
    public void TheScheduleSwitchesPhasesAndLearningRatesAndAResumeSkipsFinishedPhases()
    {
        using var dir = new TempDirectory();
        var data = ImageFolderDataset.Open(TransferFixtures.WriteImageFolder(dir.File("data"), classes: 2, perClass: 6));
        var (train, validation) = DatasetSplit.Stratified(data, 0.34, seed: 0);
        using var model = TransferFixtures.MobileNet(2);
        var initial = TransferFixtures.Snapshot(model);
        var options = Options(dir.File("run")) with
        {
            HeadEpochs = 2,
            FineTuneEpochs = 2,
            HeadLearningRate = 0.01,
            Unfreeze = FreezeSpec.Parse("features.17+"),
        };
        try
        {
            var result = FineTuneRecipe.Run(model, train, validation, Preprocessor, Normalization.ImageNet, TransferFixtures.Descriptor(data.ClassNames), options);
            Assert.Equal(new[] { 0.01, 0.01 }, result.HeadHistory.Series("lr"));
            Assert.Equal(new[] { 0.001, 0.001 }, result.FineTuneHistory.Series("lr"), (x, y) => Math.Abs(x - y) < 1e-12);
            Assert.Equal(new[] { "features.17", "features.18" }, result.Unfrozen);
            Assert.Single(result.FineTuneGroups);
            var expected = model.NamedParameters().Where(p => p.Name.StartsWith("features.17.", StringComparison.Ordinal) ||
                p.Name.StartsWith("features.18.", StringComparison.Ordinal) || p.Name.StartsWith("classifier.1.", StringComparison.Ordinal)).Sum(p => p.Parameter.NumberOfElements);
            Assert.Equal(expected, result.FineTuneGroups[0].Parameters);

            // Phase 2 trained the unfrozen blocks but not the rest; running statistics stayed (BatchNormMode.RunningStatistics).
            Assert.Equal(0, TransferFixtures.MaxDiff(model, initial, "features.16.conv.0.0.weight"));
            Assert.True(TransferFixtures.MaxDiff(model, initial, "features.17.conv.0.0.weight") > 0);
            Assert.True(TransferFixtures.MaxDiff(model, initial, "features.18.1.bias") > 0);
            Assert.Equal(0, TransferFixtures.MaxDiff(model, initial, "features.17.conv.0.1.running_mean"));
            Assert.Equal(0, TransferFixtures.MaxDiff(model, initial, "features.18.1.running_var"));

            foreach (var f in new[] { FineTuneRecipe.HeadCheckpointName, FineTuneRecipe.FineTuneCheckpointName, FineTuneRecipe.BestModelName,
                         FineTuneRecipe.FinalModelName, FineTuneRecipe.HeadLogName, FineTuneRecipe.FineTuneLogName })
                Assert.True(File.Exists(dir.File("run/" + f)), f);
            Assert.NotNull(result.BestModelPath);
            Assert.InRange(result.BestMetric, 0, 1);
            Assert.Equal("fine-tune", ModelFile.ReadDescriptor(result.FinalModelPath).Training["fine_tune_phase"]);

            // A resumed run finds both phases finished: nothing trains, the weights come back from the checkpoints.
            var final = TransferFixtures.Snapshot(model);
            using var fresh = TransferFixtures.MobileNet(2, seed: 99);
            var resumed = FineTuneRecipe.Run(fresh, train, validation, Preprocessor, Normalization.ImageNet, TransferFixtures.Descriptor(data.ClassNames), options with { Resume = true });
            try
            {
                Assert.True(resumed.HeadPhaseSkipped);
                Assert.True(resumed.FineTunePhaseSkipped);
                Assert.Equal(2, resumed.FineTuneHistory.Count);
                Assert.Equal(result.BestMetric, resumed.BestMetric);
                Assert.All(final.Keys, k => Assert.Equal(0, TransferFixtures.MaxDiff(fresh, final, k)));
            }
            finally
            {
                TransferFixtures.Free(final);
            }
        }
        finally
        {
            TransferFixtures.Free(initial);
        }
    }

    [Fact]
    public void AResumeAfterPhaseOneRunsOnlyPhaseTwo()
    {
        using var dir = new TempDirectory();
        var data = ImageFolderDataset.Open(TransferFixtures.WriteImageFolder(dir.File("data"), classes: 2, perClass: 4));
        var descriptor = TransferFixtures.Descriptor(data.ClassNames);
        var options = Options(dir.File("run")) with { HeadEpochs = 1, FineTuneEpochs = 0, Unfreeze = FreezeSpec.Parse("features.18") };
        using (var model = TransferFixtures.MobileNet(2))
            FineTuneRecipe.Run(model, data, null, Preprocessor, Normalization.ImageNet, descriptor, options);
        var extracted = File.GetLastWriteTimeUtc(dir.File("run/features-train.safetensors"));
        using var again = TransferFixtures.MobileNet(2, seed: 5);
        var result = FineTuneRecipe.Run(again, data, null, Preprocessor, Normalization.ImageNet, descriptor, options with { FineTuneEpochs = 1, Resume = true });
        Assert.True(result.HeadPhaseSkipped);
        Assert.False(result.FineTunePhaseSkipped);
        Assert.Equal(1, result.FineTuneHistory.Count);
        Assert.Equal(extracted, File.GetLastWriteTimeUtc(dir.File("run/features-train.safetensors")));
    }

    [Fact]
    public void WithAWeightAverageBothPhasesEndOnTheAverageAndAResumeRestoresIt()
    {
        using var dir = new TempDirectory();
        var data = ImageFolderDataset.Open(TransferFixtures.WriteImageFolder(dir.File("data"), classes: 2, perClass: 4));
        var (train, validation) = DatasetSplit.Stratified(data, 0.25, seed: 0);
        var descriptor = TransferFixtures.Descriptor(data.ClassNames);
        var options = Options(dir.File("run")) with
        {
            HeadEpochs = 1, FineTuneEpochs = 1, HeadLearningRate = 0.01, EmaDecay = 0.5, Unfreeze = FreezeSpec.Parse("features.18"),
        };
        using var model = TransferFixtures.MobileNet(2);
        var result = FineTuneRecipe.Run(model, train, validation, Preprocessor, Normalization.ImageNet, descriptor, options);
        Assert.True(result.FineTuneHistory[0].ContainsKey("raw_val_accuracy"));
        Assert.Equal("0.5", ModelFile.ReadDescriptor(result.FinalModelPath).Training["ema"]);

        // The phase ended on its average, not on the last step's raw weights.
        using (var ckpt = TrainingCheckpoint.Load(dir.File("run/" + FineTuneRecipe.FineTuneCheckpointName)))
        {
            var average = ExponentialMovingAverage.FromCheckpoint(ckpt);
            Assert.Contains("features.18.0.weight", average.Keys);
            var finalWeights = TransferFixtures.Snapshot(model);
            try
            {
                Assert.All(average, kv => Assert.Equal(kv.Value.ToArray<float>(), finalWeights[kv.Key].ToArray<float>()));
                Assert.NotEqual(ckpt.Model["features.18.0.weight"].ToArray<float>(), finalWeights["features.18.0.weight"].ToArray<float>());
            }
            finally
            {
                TransferFixtures.Free(finalWeights);
            }
        }

        // A resume finds both phases done and rebuilds the same averaged model.
        var final = TransferFixtures.Snapshot(model);
        using var fresh = TransferFixtures.MobileNet(2, seed: 99);
        try
        {
            var resumed = FineTuneRecipe.Run(fresh, train, validation, Preprocessor, Normalization.ImageNet, descriptor, options with { Resume = true });
            Assert.True(resumed.HeadPhaseSkipped && resumed.FineTunePhaseSkipped);
            Assert.All(final.Keys, k => Assert.Equal(0, TransferFixtures.MaxDiff(fresh, final, k)));
        }
        finally
        {
            TransferFixtures.Free(final);
        }
    }

    [Fact]
    public void DiscriminativeRatesRiseGeometricallyTowardsTheHead()
    {
        using var model = TransferFixtures.MobileNet(3);
        model.FreezeBackbone();
        var selected = FreezeSpec.Parse("features.16+").Select(model);
        foreach (var (_, m) in selected) m.Unfreeze();
        var groups = FineTuneRecipe.FineTuneGroups(model, selected, 0.001);
        Assert.Equal(new[] { "features.16", "features.17", "features.18", "head" }, groups.Select(g => g.Name));
        Assert.Equal(new[] { 0.001, 0.01, 0.1, 1.0 }, groups.Select(g => g.LearningRateScale), (x, y) => Math.Abs(x - y) < 1e-12);
        Assert.Equal(model.CountParameters(trainableOnly: true), groups.Sum(g => g.Parameters.Sum(p => p.Tensor.NumberOfElements)));
        Assert.All(groups[3].Parameters, p => Assert.StartsWith("classifier.1.", p.Name));
        var single = FineTuneRecipe.FineTuneGroups(model, selected, null);
        Assert.Single(single);

        // "backbone" selects features as one container: its blocks still get rising rates, features.0 the lowest.
        var backbone = FreezeSpec.Parse("backbone").Select(model);
        foreach (var (_, m) in backbone) m.Unfreeze();
        var perBlock = FineTuneRecipe.FineTuneGroups(model, backbone, 0.01);
        Assert.Equal(Enumerable.Range(0, 19).Select(i => $"features.{i}").Append("head"), perBlock.Select(g => g.Name));
        Assert.Equal(0.01, perBlock[0].LearningRateScale, 12);
        Assert.True(perBlock.Zip(perBlock.Skip(1)).All(p => p.First.LearningRateScale < p.Second.LearningRateScale));
        Assert.Equal(model.CountParameters(trainableOnly: true), perBlock.Sum(g => g.Parameters.Sum(p => p.Tensor.NumberOfElements)));
    }

    [Fact]
    public void DefaultUnfreezeNamesTheTopBlocksOfEachFamily()
    {
        using var mobile = TransferFixtures.MobileNet(2);
        Assert.Equal("features.13+", FineTuneRecipe.DefaultUnfreeze(mobile).Text);
        using var resnet = ModelZoo.Create("resnet18", new ModelOptions { NumClasses = 2 });
        Assert.Equal("layer4", FineTuneRecipe.DefaultUnfreeze((IClassifierModel)resnet).Text);
        using var lenet = ModelZoo.Create("lenet5", new ModelOptions { NumClasses = 2 });
        Assert.Equal("backbone", FineTuneRecipe.DefaultUnfreeze((IClassifierModel)lenet).Text);
    }

    [Fact]
    public void AHeadOfTheWrongSizeIsRejected()
    {
        using var dir = new TempDirectory();
        var data = ImageFolderDataset.Open(TransferFixtures.WriteImageFolder(dir.File("data"), classes: 3, perClass: 2));
        using var model = TransferFixtures.MobileNet(5);
        var e = Assert.Throws<ArgumentException>(() => FineTuneRecipe.Run(model, data, null, Preprocessor, Normalization.ImageNet,
            TransferFixtures.Descriptor(data.ClassNames), Options(dir.File("run"))));
        Assert.Contains("NumClasses = 3", e.Message);
    }
}
