using SharpVision.Engine;
using SharpVision.Explain;

namespace SharpVision.Tests.Explain;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ExplainMemoryCollection
{
    public const string Name = "explain-memory";
}

[Collection(ExplainMemoryCollection.Name)]
public class ExplainMemoryTests
{
    [Fact]
    public void ExplanationsFreeEveryTensorTheyCreate()
    {
        using var model = ExplainModels.Zoo("resnet18", 32);
        var catalog = LayerCatalog.Create(model, 3, 32, 32);
        using var x = Tensor.Full(new long[] { 1, 3, 32, 32 }, 0.5);
        // Warm up once (lazy native state), then the count must not move.
        GradCam.Compute(model, x, catalog.ForRole("last"));
        var live = Torch.LiveTensors;
        for (var i = 0; i < 3; i++)
        {
            GradCam.Compute(model, x, catalog.ForRole("last"));
            FeatureMaps.Capture(model, x, catalog.ForRole("middle"));
            FilterVisualizer.Visualize(model, catalog.ForRole("first"), 0, 3, 32, 32, t => t.Alias(), new FilterVisualizationOptions { Steps = 3, BlurEvery = 1 });
        }
        Assert.Equal(live, Torch.LiveTensors);
    }
}
