using SharpVision.Engine;
using SharpVision.Explain;

namespace SharpVision.Tests.Explain;

public class FilterVisualizerTests
{
    private static int MostActive(FeatureMapCapture maps)
    {
        var means = maps.ChannelMeans();
        return Array.IndexOf(means, means.Max());
    }

    [Theory]
    [InlineData("cafe-cnn", 64, "middle")]
    [InlineData("resnet18", 48, "layer2.0.conv1")]
    public void GradientAscentIncreasesTheChannelsActivation(string name, int size, string layerName)
    {
        using var model = ExplainModels.Zoo(name, size);
        var layer = LayerCatalog.Create(model, 3, size, size).Resolve(layerName);
        using var grey = Tensor.Full(new long[] { 1, 3, size, size }, 0.5);
        var channel = MostActive(FeatureMaps.Capture(model, grey, layer));

        var result = FilterVisualizer.Visualize(model, layer, channel, 3, size, size, x => x.Alias(), new FilterVisualizationOptions { Steps = 15, Seed = 4 });

        Assert.True(result.FinalActivation > result.InitialActivation * 1.5 && result.FinalActivation > 0,
            $"activation {result.InitialActivation} → {result.FinalActivation}");
        Assert.Equal((size, size, 3), (result.Image.Width, result.Image.Height, result.Image.Channels));
        Assert.Equal(15, result.History.Length);
        Assert.True(result.History[^1] > result.History[0]);
    }

    [Fact]
    public void IsDeterministicForASeedAndLeavesTheModelUnchanged()
    {
        using var model = ExplainModels.Zoo("cafe-cnn", 64);
        var layer = LayerCatalog.Create(model, 3, 64, 64).ForRole("first");
        var before = model.Parameters().Select(p => p.Value.ToArray<float>()).ToList();
        var options = new FilterVisualizationOptions { Steps = 5, Seed = 9, BlurEvery = 2 };

        var a = FilterVisualizer.Visualize(model, layer, 3, 3, 64, 64, x => x * 2.0 - 1.0, options);
        var b = FilterVisualizer.Visualize(model, layer, 3, 3, 64, 64, x => x * 2.0 - 1.0, options);
        var c = FilterVisualizer.Visualize(model, layer, 3, 3, 64, 64, x => x * 2.0 - 1.0, options with { Seed = 10 });

        Assert.Equal(a.Image.Pixels, b.Image.Pixels);
        Assert.NotEqual(a.Image.Pixels, c.Image.Pixels);
        Assert.Equal(before, model.Parameters().Select(p => p.Value.ToArray<float>()).ToList());
        Assert.All(model.Parameters(), p => Assert.Null(p.Grad));
        Assert.All(model.Parameters(), p => Assert.True(p.RequiresGrad));
    }

    [Fact]
    public void ChannelOutOfRangeIsAClearError()
    {
        using var model = ExplainModels.Zoo("cafe-cnn", 64);
        var layer = LayerCatalog.Create(model, 3, 64, 64).ForRole("first");
        var e = Assert.Throws<ArgumentException>(() => FilterVisualizer.Visualize(model, layer, 32, 3, 64, 64, x => x.Alias()));
        Assert.Contains("filter 32 is out of range", e.Message);
        Assert.Contains("32 channels", e.Message);
    }
}
