using SharpVision.Explain;
using SharpVision.Layers;

namespace SharpVision.Tests.Explain;

public class LayerCatalogTests
{
    [Fact]
    public void FindsConvLayersInModuleOrderWithSummaryNames()
    {
        using var model = ExplainModels.Zoo("cafe-cnn", 64);
        var catalog = LayerCatalog.Create(model, 3, 64, 64);

        Assert.Equal(["0", "2", "4", "6"], catalog.ConvLayers.Select(l => l.Path));
        Assert.Equal(["conv2d", "conv2d_1", "conv2d_2", "conv2d_3"], catalog.ConvLayers.Select(l => l.Name));
        Assert.Equal([1L, 32, 58, 58], catalog.ConvLayers[0].OutputShape!);
        Assert.Equal("0", catalog.Resolve("first").Path);
        Assert.Equal("4", catalog.Resolve("middle").Path);
        Assert.Equal("6", catalog.Resolve("LAST").Path);
        Assert.Equal("2", catalog.Resolve("conv2d_1").Path);
        Assert.Equal("4", catalog.Resolve("4").Path);
        Assert.Equal("max_pooling2d", catalog.Resolve("1").Name); // pooling layers have feature maps too
    }

    [Fact]
    public void ResolvesTorchvisionPathsIncludingContainers()
    {
        using var model = ExplainModels.Zoo("resnet18", 64);
        var catalog = LayerCatalog.Create(model, 3, 64, 64);

        Assert.Equal("conv1", catalog.ForRole("first").Path);
        Assert.Equal("layer4.1.conv2", catalog.ForRole("last").Path);
        Assert.Equal(20, catalog.ConvLayers.Count); // 1 stem + 16 block convs + 3 downsample convs
        Assert.All(catalog.ConvLayers, l => Assert.IsType<Conv2d>(l.Module));
        var block = catalog.Resolve("layer4");
        Assert.Same(model["layer4"], block.Module);
        Assert.Null(block.OutputShape);
    }

    [Fact]
    public void UnknownLayerListsTheValidNames()
    {
        using var model = ExplainModels.Zoo("cafe-cnn", 64);
        var catalog = LayerCatalog.Create(model, 3, 64, 64);
        var e = Assert.Throws<ArgumentException>(() => catalog.Resolve("conv9"));
        Assert.Contains("unknown layer 'conv9'", e.Message);
        Assert.Contains("first, middle, last, conv2d (0), conv2d_1 (2), conv2d_2 (4), conv2d_3 (6)", e.Message);
    }

    [Fact]
    public void ModelWithoutConvolutionsAsksForANamedLayer()
    {
        using var model = new Sequential(new Flatten(), new Linear(12, 2));
        var catalog = LayerCatalog.Create(model, 3, 2, 2);
        Assert.Empty(catalog.ConvLayers);
        var e = Assert.Throws<ArgumentException>(() => catalog.Resolve("last"));
        Assert.Contains("no Conv2d layer", e.Message);
    }
}
