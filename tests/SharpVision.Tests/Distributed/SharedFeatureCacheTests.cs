using SharpVision.Data;
using SharpVision.Distributed;
using SharpVision.Tests.Support;
using SharpVision.Tests.Transfer;
using SharpVision.Training.Optimizers;
using SharpVision.Transfer;

namespace SharpVision.Tests.Distributed;

/// <summary>The fine-tuning recipe's feature cache in a group of two ranks (threads of this process, Gloo on loopback).</summary>
[Collection(DistributedCollection.Name)]
public class SharedFeatureCacheTests
{
    [Fact]
    public void RankZeroExtractsAndWritesTheCache_TheOtherRankLoadsThatFile_AndBothEndWithTheSameHead()
    {
        using var dir = new TempDirectory("sv-dist-cache");
        var data = ImageFolderDataset.Open(TransferFixtures.WriteImageFolder(dir.File("data"), classes: 2, perClass: 4));
        // Models are created here, not on the rank threads: their initialisation draws from libtorch's shared generator.
        var models = new[] { TransferFixtures.ResNet18(2, seed: 1), TransferFixtures.ResNet18(2, seed: 2) };
        try
        {
            var descriptor = TransferFixtures.Descriptor(data.ClassNames, "resnet18");
            var results = InProcessRanks.Run(2, group =>
            {
                var log = new List<string>();
                var result = FineTuneRecipe.Run(models[group.Rank], data, null, new ImagePreprocessor(32, 32), Normalization.ImageNet, descriptor, new FineTuneOptions
                {
                    RunDirectory = dir.File("run"),
                    HeadEpochs = 2,
                    FineTuneEpochs = 0,
                    HeadLearningRate = 0.05,
                    HeadPhase = HeadPhaseMode.Cached,
                    BatchSize = 4,
                    Workers = 1,
                    Seed = 3,
                    OptimizerFactory = (groups, lr) => new Sgd(groups, lr, momentum: 0.9),
                    Log = line => { lock (log) log.Add(line); },
                    Parallel = new DataParallel(group),
                });
                return (Log: string.Join('\n', log), result.HeadHistory.Count);
            });
            Assert.Contains("extracted 8 ×", results[0].Log);
            Assert.DoesNotContain("extracted", results[1].Log);
            Assert.Contains("is up to date; loading it", results[1].Log);
            Assert.Equal(2, results[1].Count);
            Assert.True(File.Exists(dir.File("run/features-train.safetensors")));
            // Different initial models (seeds 1 and 2), one result: rank 0's weights were broadcast and the heads kept in step.
            var rank0 = TransferFixtures.Snapshot(models[0]);
            try
            {
                Assert.Equal(0, TransferFixtures.MaxDiff(models[1], rank0, "fc.weight"));
                Assert.Equal(0, TransferFixtures.MaxDiff(models[1], rank0, "conv1.weight"));
            }
            finally
            {
                TransferFixtures.Free(rank0);
            }
        }
        finally
        {
            foreach (var m in models) m.Dispose();
        }
    }
}
