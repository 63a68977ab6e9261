using SharpVision.Cli.Commands;
using SharpVision.Data;
using SharpVision.Engine;
using SharpVision.Imaging;
using SharpVision.Models;
using SharpVision.Tests.Explain;
using SharpVision.Tests.Reports;
using SharpVision.Tests.Support;

namespace SharpVision.Tests.Cli;

[Collection("console")]
public sealed class ExplainCommandTests : IDisposable
{
    private readonly TempDirectory temp = new("sv-explaincli");
    private readonly string model;
    private readonly string image;

    public ExplainCommandTests()
    {
        model = temp.File("cafe.safetensors");
        Torch.ManualSeed(21);
        var descriptor = ColourSquares.CafeDescriptor();
        using (var m = SeededModels.Create("cafe-cnn", descriptor.Options, 21)) ModelFile.Save(model, m, descriptor);
        image = temp.File("square.png");
        PngEncoder.Save(ColourSquares.Make(2, seed: 3, size: 96), image);
    }

    public void Dispose() => temp.Dispose();

    private static RgbImage Png(string path) => PngTestReader.Decode(File.ReadAllBytes(path));

    [Fact]
    public void WritesFeatureMapsGradCamAndFilterPngs()
    {
        var outDir = temp.File("out");
        var (code, output, err) = ConsoleCapture.Run("explain", "--model", model, image, "--out", outDir, "--steps", "5");

        Assert.True(code == 0, err);
        var files = Directory.GetFiles(outDir).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToArray();
        Assert.Contains("input.png", files);
        Assert.Contains("feature_maps_first.png", files);
        Assert.Contains("feature_maps_middle.png", files);
        Assert.Contains("feature_maps_last.png", files);
        Assert.Single(files, f => f.StartsWith("gradcam_", StringComparison.Ordinal));
        Assert.Single(files, f => f.StartsWith("filter_6_", StringComparison.Ordinal)); // the last conv of cafe-cnn
        var overlay = Png(Path.Combine(outDir, files.Single(f => f.StartsWith("gradcam_", StringComparison.Ordinal))));
        // The figure: the 96 px photo shown at 256 px, the heat map over it at 256 px, and a colour bar beside them.
        Assert.True(overlay.Width > 2 * 256 + 16 && overlay.Height > 256, $"{overlay.Width}×{overlay.Height}");
        var first = Png(Path.Combine(outDir, "feature_maps_first.png"));
        var last = Png(Path.Combine(outDir, "feature_maps_last.png"));
        Assert.True(first.Width > 300 && last.Width > 300);
        Assert.Contains("Grad-CAM at conv2d_3 (6)", output);
        Assert.Contains("filter ", output);
        Assert.Contains(image + ":", output);
    }

    [Fact]
    public void ChosenLayerClassAndFilterNameTheFiles()
    {
        var outDir = temp.File("chosen");
        var (code, output, err) = ConsoleCapture.Run("explain", "--model", model, image, "--out", outDir, "--layer", "conv2d_1",
            "--class", "green", "--filter", "3", "--steps", "4");

        Assert.True(code == 0, err);
        var files = Directory.GetFiles(outDir).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["feature_maps_2.png", "filter_2_3.png", "gradcam_green.png", "input.png"], files);
        Assert.Contains("for 'green'", output);
        var filter = Png(Path.Combine(outDir, "filter_2_3.png"));
        Assert.Equal((256, 256), (filter.Width, filter.Height));
    }

    [Fact]
    public void DefaultOutputFolderIsNamedAfterTheImage()
    {
        var dir = ExplainCommand.DefaultOutputFolder("/photos/chelsea.png");
        Assert.Equal(Path.Combine(Directory.GetCurrentDirectory(), "explain-chelsea"), dir);
    }

    [Fact]
    public void BadLayerNameListsTheValidLayers()
    {
        var (code, _, err) = ConsoleCapture.Run("explain", "--model", model, image, "--layer", "conv7", "--out", temp.File("bad"));
        Assert.NotEqual(0, code);
        Assert.Contains("unknown layer 'conv7'", err);
        Assert.Contains("conv2d (0), conv2d_1 (2), conv2d_2 (4), conv2d_3 (6)", err);
        Assert.False(Directory.Exists(temp.File("bad")));
    }

    [Fact]
    public void BadClassFilterOrImageAreClearErrors()
    {
        var (code, _, err) = ConsoleCapture.Run("explain", "--model", model, image, "--class", "purple", "--out", temp.File("c"));
        Assert.NotEqual(0, code);
        Assert.Contains("unknown class 'purple'", err);
        Assert.Contains("blue, green, red", err);

        (code, _, err) = ConsoleCapture.Run("explain", "--model", model, image, "--filter", "999", "--steps", "1", "--out", temp.File("f"));
        Assert.NotEqual(0, code);
        Assert.Contains("--filter 999 is out of range", err);

        (code, _, err) = ConsoleCapture.Run("explain", "--model", model, temp.File("missing.jpg"));
        Assert.NotEqual(0, code);
        Assert.Contains("image not found", err);

        (code, _, err) = ConsoleCapture.Run("explain", "--model", temp.File("missing.safetensors"), image);
        Assert.NotEqual(0, code);
        Assert.Contains("model file not found", err);
    }
}
