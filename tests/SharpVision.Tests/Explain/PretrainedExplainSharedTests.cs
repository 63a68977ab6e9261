using SharpVision.Data;
using SharpVision.Engine.IO;
using SharpVision.Explain;
using SharpVision.Imaging;
using SharpVision.Inference;
using SharpVision.Models;
using SharpVision.Tests.Support;

namespace SharpVision.Tests.Explain;

public class PretrainedExplainSharedTests
{
    /// <summary>The shared ImageNet MobileNetV2 as a classifier (224×224, centre crop, ImageNet normalisation).</summary>
    internal static ImageClassifier MobileNet()
    {
        var classes = File.ReadAllLines(TestPaths.Shared("pretrained/imagenet_classes.txt")).Select(l => l.Split(',')[0].Trim()).ToArray();
        var descriptor = new ModelDescriptor
        {
            Architecture = "mobilenet_v2",
            Options = new ModelOptions { NumClasses = 1000 },
            ClassNames = classes,
            InputHeight = 224,
            InputWidth = 224,
            Resize = ResizeMode.CenterCrop,
            Normalization = Normalization.ImageNet,
        };
        var model = ModelZoo.Create("mobilenet_v2", descriptor.Options);
        using var file = SafeTensorsFile.Open(TestPaths.Shared("pretrained/mobilenet_v2_imagenet.safetensors"));
        var weights = file.LoadAll();
        try { model.LoadStateDict(weights, strict: false); }
        finally { foreach (var t in weights.Values) t.Dispose(); }
        return new ImageClassifier(model, descriptor);
    }

    [SharedDataFact("pretrained/mobilenet_v2_imagenet.safetensors")]
    public void GradCamOfTheCatPhotoPointsAtTheCatShared()
    {
        using var classifier = MobileNet();
        var explainer = new ImageExplainer(classifier);
        var photo = ImageDecoder.DecodeFile(TestPaths.Shared("photos/chelsea.png"));

        var cam = explainer.GradCam(photo, "last");

        Assert.Equal("Egyptian cat", classifier.ClassNames[cam.ClassIndex]);
        Assert.Equal((7, 7), (cam.Heat.GetLength(0), cam.Heat.GetLength(1)));
        // The photo is a close-up of the cat's face: the evidence sits in the middle (eyes, nose), not at the borders.
        var n = cam.Normalized();
        double centre = 0, ring = 0;
        for (var y = 0; y < 7; y++)
            for (var x = 0; x < 7; x++)
            {
                if (x is >= 2 and <= 4 && y is >= 2 and <= 4) centre += n[y, x];
                if (x is 0 or 6 || y is 0 or 6) ring += n[y, x];
            }
        Assert.True(centre / 9 > 1.25 * (ring / 24), $"centre {centre / 9:F3}, border {ring / 24:F3}");
        var hottest = Enumerable.Range(0, 49).MaxBy(i => n[i / 7, i % 7]);
        Assert.True(hottest / 7 is > 0 and < 6 && hottest % 7 is > 0 and < 6, $"hottest cell {hottest / 7}, {hottest % 7} is on the border");
        var overlay = explainer.GradCamOverlay(photo, cam);
        Assert.Equal(3, overlay.Channels);
    }
}
