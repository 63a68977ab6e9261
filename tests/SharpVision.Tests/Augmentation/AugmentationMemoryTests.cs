using SharpVision.Augmentation;
using SharpVision.Engine;

namespace SharpVision.Tests.Augmentation;

/// <summary>Runs alone: <see cref="Torch.LiveTensors"/> is process-wide, so parallel tests would disturb the count.</summary>
[CollectionDefinition(nameof(AugmentationMemoryCollection), DisableParallelization = true)]
public sealed class AugmentationMemoryCollection;

[Collection(nameof(AugmentationMemoryCollection))]
public class AugmentationMemoryTests
{
    private static long SettledLiveTensors()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        return Torch.LiveTensors;
    }

    [Fact]
    public void ApplyInALoopReturnsToTheBaselineTensorCount()
    {
        using var images = AugmenterTests.RandomImages(n: 8);
        using var labels = Tensor.Arange(8);
        using var g = new Generator(1);
        var augmenter = new Augmenter(AugmentationSpec.Parse(AugmenterTests.Everything + ",fill=constant,fill_value=0.5"));
        var flipsOnly = new Augmenter(AugmentationSpec.Parse("flip=hv"));
        var mixer = new BatchMixer(0.2, 1.0);
        var baseline = SettledLiveTensors();
        for (var i = 0; i < 20; i++)
        {
            using var augmented = augmenter.Apply(images, g);
            using var flipped = flipsOnly.Apply(images, g);
            var (mixed, targets) = mixer.Apply(augmented, labels, 8, g);
            mixed.Dispose();
            targets.Dispose();
        }
        Assert.Equal(baseline, Torch.LiveTensors);
    }
}
