using SharpVision.Engine;
using SharpVision.Explain;

namespace SharpVision.Tests.Explain;

public class GradCamTests
{
    [Fact]
    public void HighlightsTheQuadrantHoldingTheEvidenceForEachClass()
    {
        using var model = ExplainModels.ColourDetector();
        // Red square top-left (the larger one, so "red" is predicted), green square bottom-right.
        using var x = ExplainModels.Picture(32, (2, 2, 12, 1, 0, 0), (20, 20, 9, 0, 1, 0));
        var layer = LayerCatalog.Create(model, 3, 32, 32).Resolve("last");

        var red = GradCam.Compute(model, x, layer);
        Assert.Equal(1, red.ClassIndex); // the predicted class
        Assert.True(red.Probabilities[1] > 0.5);
        Assert.Equal(32, red.Heat.GetLength(0));
        var q = ExplainModels.QuadrantMeans(red.Heat);
        Assert.True(q[0] > 2 * q.Skip(1).Max() && q[0] > 0, $"red evidence should be top-left: {string.Join(", ", q)}");
        Assert.True(red.ChannelWeights[0] > 0);
        Assert.Equal(0, red.ChannelWeights[1], 6);

        var green = GradCam.Compute(model, x, layer, classIndex: 0);
        Assert.Equal(0, green.ClassIndex);
        var g = ExplainModels.QuadrantMeans(green.Heat);
        Assert.True(g[3] > 2 * g.Take(3).Max() && g[3] > 0, $"green evidence should be bottom-right: {string.Join(", ", g)}");
    }

    [Fact]
    public void UpsampledAndNormalisedMapsKeepTheHotRegion()
    {
        using var model = ExplainModels.ColourDetector();
        using var x = ExplainModels.Picture(16, (0, 0, 8, 1, 0, 0));
        var cam = GradCam.Compute(model, x, LayerCatalog.Create(model, 3, 16, 16).ForRole("first"));
        var n = cam.Normalized();
        Assert.Equal(1f, n.Cast<float>().Max());
        var up = cam.Upsample(64, 64);
        Assert.Equal(64, up.GetLength(0));
        var q = ExplainModels.QuadrantMeans(up);
        Assert.True(q[0] > 2 * q.Skip(1).Max());
    }

    [Fact]
    public void LeavesParametersAndTheirGradientsAlone()
    {
        using var model = ExplainModels.ColourDetector();
        using var x = ExplainModels.Picture(16, (0, 0, 8, 1, 0, 0));
        var before = model.Parameters().Select(p => p.Value.ToArray<float>()).ToList();
        GradCam.Compute(model, x, LayerCatalog.Create(model, 3, 16, 16).ForRole("last"));
        Assert.All(model.Parameters(), p =>
        {
            Assert.True(p.RequiresGrad);
            Assert.Null(p.Grad);
        });
        Assert.Equal(before, model.Parameters().Select(p => p.Value.ToArray<float>()).ToList());
    }

    [Theory]
    [InlineData("cafe-cnn", 64)]
    [InlineData("resnet18", 64)]
    [InlineData("mobilenet_v2", 64)]
    [InlineData("lenet5", 28)]
    [InlineData("mini-inception-small", 32)]
    public void WorksOnZooModels(string name, int size)
    {
        using var model = ExplainModels.Zoo(name, size);
        var catalog = LayerCatalog.Create(model, 3, size, size);
        var last = catalog.ForRole("last");
        using var generator = new Generator(3);
        using var x = Tensor.Rand(new long[] { 1, 3, size, size }, generator);

        var cam = GradCam.Compute(model, x, last, classIndex: 2);

        Assert.Equal(2, cam.ClassIndex);
        Assert.Equal(last.OutputShape![2], cam.Heat.GetLength(0));
        Assert.Equal(last.OutputShape![3], cam.Heat.GetLength(1));
        Assert.All(cam.Heat.Cast<float>(), v => Assert.True(float.IsFinite(v) && v >= 0));
        Assert.Equal(1, cam.Probabilities.Sum(), 4);
    }

    [Fact]
    public void RejectsABatchAndAClassOutOfRange()
    {
        using var model = ExplainModels.ColourDetector();
        var layer = LayerCatalog.Create(model, 3, 8, 8).ForRole("last");
        using var batch = Tensor.Zeros(new long[] { 2, 3, 8, 8 });
        Assert.Throws<ArgumentException>(() => GradCam.Compute(model, batch, layer));
        using var one = Tensor.Zeros(new long[] { 1, 3, 8, 8 });
        var e = Assert.Throws<ArgumentException>(() => GradCam.Compute(model, one, layer, classIndex: 5));
        Assert.Contains("2 classes", e.Message);
    }
}
