using SharpVision.Data;
using SharpVision.Engine;
using SharpVision.Explain;
using SharpVision.Imaging;
using SharpVision.Layers;
using SharpVision.Models;
using SharpVision.Tests.Reports;
using SharpVision.Tests.Support;

namespace SharpVision.Tests.Explain;

public class GradCamDefaultLayerTests
{
    [Fact]
    public void TheDefaultIsTheLastBlocksActivatedOutput()
    {
        // fashion-cnn: conv "4" → BatchNorm "5" → ReLU "6" → pool: the ReLU, not the raw conv.
        using var fashion = ModelZoo.Create("fashion-cnn", new ModelOptions { NumClasses = 3, InputChannels = 1, InputHeight = 28, InputWidth = 28 });
        var catalog = LayerCatalog.Create(fashion, 1, 28, 28);
        Assert.Equal("4", catalog.ForRole("last").Path);
        var layer = catalog.GradCamLayer();
        Assert.Equal("6", layer.Path);
        Assert.IsType<ReLU>(layer.Module);
        // cafe-cnn's last conv has its ReLU fused: the conv's output is already the activated one.
        using var cafe = ModelZoo.Create("cafe-cnn", new ModelOptions { NumClasses = 3, InputHeight = 64, InputWidth = 64 });
        Assert.Equal("6", LayerCatalog.Create(cafe, 3, 64, 64).GradCamLayer().Path);
    }

    [Fact]
    public void AnEmptyMapIsWarnedAbout()
    {
        using var tmp = new TempDirectory();
        var model = tmp.File("dead.safetensors");
        var descriptor = ColourSquares.CafeDescriptor();
        Torch.ManualSeed(4);
        using (var m = SeededModels.Create("cafe-cnn", descriptor.Options, 4))
        {
            // Every unit of the last conv dead: nothing there can speak for any class.
            using (Torch.NoGrad()) ((Conv2d)m["6"]).Bias!.Value.Fill_(-1000);
            ModelFile.Save(model, m, descriptor);
        }
        var image = tmp.File("square.png");
        PngEncoder.Save(ColourSquares.Make(1, seed: 2, size: 64), image);
        var (code, _, err) = ConsoleCapture.Run("explain", "--model", model, image, "--out", tmp.File("out"), "--steps", "2");
        Assert.Equal(0, code);
        Assert.Contains("warning: the Grad-CAM map at conv2d_3 (6) is empty", err);
        var figure = PngTestReader.Decode(File.ReadAllBytes(Directory.GetFiles(tmp.File("out"), "gradcam_*.png").Single()));
        Assert.True(figure.Width > figure.Height);
    }
}
