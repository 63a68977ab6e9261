using SharpVision.Data;
using SharpVision.Tests.Data;

namespace SharpVision.Tests.Application;

/// <summary>The held-out images of an evaluation run: one part per fold, pooled so that each image counts once.</summary>
public class EvaluationRunTests
{
    [Fact]
    public void AllFoldsArePooledAndEachImageCountsOnce()
    {
        var data = SyntheticDataset.Balanced(perClass: 6, classes: 3);
        var (pooled, parts) = EvaluationRun.HeldOut(data, CrossValidationFold.ParseSet("all/3"), validationSplit: 0, splitSeed: 5);
        Assert.Equal(3, parts.Count);
        var indices = parts.SelectMany(p => ((SubsetDataset)p).Indices).ToList();
        Assert.Equal(data.Count, pooled.Count);
        Assert.Equal(Enumerable.Range(0, data.Count), indices.Order());
    }

    [Fact]
    public void WithoutFoldsTheStratifiedSplitOrTheWholeSetIsOnePart()
    {
        var data = SyntheticDataset.Balanced(perClass: 10, classes: 2);
        var (split, splitParts) = EvaluationRun.HeldOut(data, [], validationSplit: 0.2, splitSeed: 1);
        Assert.Equal(4, split.Count);
        Assert.Same(split, Assert.Single(splitParts));
        var (all, _) = EvaluationRun.HeldOut(data, [], validationSplit: 0, splitSeed: 1);
        Assert.Same(data, all);
        Assert.Equal("runs/f2/best.safetensors", EvaluationRun.ModelPath("runs/f{fold}/best.safetensors", 2));
        Assert.Equal("m.safetensors", EvaluationRun.ModelPath("m.safetensors", null));
    }
}
