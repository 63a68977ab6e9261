using SharpVision.Imaging;
using SharpVision.Inference;
using SharpVision.Models;
using SharpVision.Onnx;
using SharpVision.Tests.Explain;
using SharpVision.Tests.Support;

namespace SharpVision.Tests.OpenSet;

/// <summary>
/// calibrate-unknown, evaluate --unknown and predict end to end on coloured squares (the known classes) against
/// pictures of random pixels (none of them), with a LeNet-5 trained in the fixture.
/// </summary>
[Collection("console")]
public sealed class OpenSetCliTests : IDisposable
{
    private readonly TempDirectory temp = new("sv-openset");
    private readonly string data;
    private readonly string model;
    private readonly string unknown;

    public OpenSetCliTests()
    {
        data = temp.File("data");
        ColourSquares.WriteFolder(data, perClass: 20, seed: 7);
        model = temp.File("model.safetensors");
        ColourSquares.TrainAndSave(model, steps: 60, seed: 1);
        unknown = Directory.CreateDirectory(temp.File("unknown")).FullName;
        var rng = new Random(3);
        for (var i = 0; i < 12; i++)
        {
            var image = new RgbImage(32, 32);
            rng.NextBytes(image.Pixels);
            PngEncoder.Save(image, Path.Combine(unknown, $"noise{i:D2}.png"));
        }
    }

    public void Dispose() => temp.Dispose();

    private string Calibrated()
    {
        var output = temp.File("calibrated.safetensors");
        // Half of the noise pictures pick the score; the other half stay unseen for predict.
        var pick = Directory.CreateDirectory(temp.File("pick")).FullName;
        foreach (var f in Directory.GetFiles(unknown).Take(6)) File.Move(f, Path.Combine(pick, Path.GetFileName(f)));
        var (code, stdout, stderr) = ConsoleCapture.Run("calibrate-unknown", "--model", model, "--data", data, "--val-split", "0.5", "--unknown", pick, "--out", output);
        Assert.True(code == 0, stderr);
        Assert.Contains("unknown: ", stdout);
        Assert.Contains("keeps 95 % of correct validation predictions", stdout);
        foreach (var score in new[] { "max-softmax", "energy", "mahalanobis", "knn" }) Assert.Contains($"  {score}", stdout);
        return output;
    }

    [Fact]
    public void CalibratedModelRejectsNoiseAndKeepsTheSquares()
    {
        var calibrated = Calibrated();
        using (var classifier = ImageClassifier.Load(calibrated))
        {
            Assert.NotNull(classifier.Descriptor.Unknown);
            var noise = Directory.GetFiles(unknown).Select(f => ImageDecoder.DecodeFile(f)).ToList();
            Assert.All(classifier.Classify(noise), c => Assert.False(c.Known));
            var squares = Enumerable.Range(0, 30).Select(i => ColourSquares.Make(i % 3, 90_000 + i)).ToList();
            var results = classifier.Classify(squares);
            Assert.True(results.Count(r => r.Known) >= 24, $"{results.Count(r => r.Known)} of 30 squares accepted");
            Assert.All(results.Where(r => r.Known).Select((r, i) => r), r => Assert.NotNull(r.UnknownScore));
        }
        var (code, stdout, _) = ConsoleCapture.Run("predict", "--model", calibrated, Path.Combine(unknown, "noise11.png"), Path.Combine(data, "red", "000.png"));
        Assert.Equal(0, code);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("noise11.png: unknown (not one of the classes)   [top guesses: ", lines[0]);
        Assert.Contains("000.png: red (", lines[1]);
        // The original model file was left as it was.
        using var original = ImageClassifier.Load(model);
        Assert.Null(original.Descriptor.Unknown);
    }

    [Fact]
    public void TheExportedOnnxModelCarriesTheDetectorAndMakesTheSameDecisions()
    {
        var calibrated = Calibrated();
        var onnx = temp.File("calibrated.onnx");
        OnnxExporter.ExportFile(calibrated, onnx);
        var photos = Directory.GetFiles(unknown).Select(f => ImageDecoder.DecodeFile(f))
            .Concat(Enumerable.Range(0, 12).Select(i => ColourSquares.Make(i % 3, 70_000 + i))).ToList();
        using var torch = ImageClassifier.Load(calibrated);
        using var ort = OnnxImageClassifier.Load(onnx);
        Assert.Equal(torch.Descriptor.Unknown!.Kind, ort.Descriptor.Unknown!.Kind);
        var expected = torch.Classify(photos);
        var actual = ort.Classify(photos);
        for (var i = 0; i < photos.Count; i++)
        {
            Assert.Equal(expected[i].Top[0].ClassName, actual[i].Top[0].ClassName);
            if (UnknownScoreNames.NeedsFeatures(torch.Descriptor.Unknown.Kind)) continue; // ONNX applies the energy threshold instead
            Assert.Equal(expected[i].Known, actual[i].Known);
            Assert.Equal(expected[i].UnknownScore!.Value, actual[i].UnknownScore!.Value, 4);
        }
        Assert.Contains(actual, c => !c.Known);
        Assert.Contains(actual, c => c.Known);
    }

    [Fact]
    public void EvaluateUnknownReportsAurocFalseAcceptsAndAReportSection()
    {
        var calibrated = Calibrated();
        var report = temp.File("report");
        var (code, stdout, stderr) = ConsoleCapture.Run("evaluate", "--model", calibrated, "--data", data, "--val-split", "0.5", "--unknown", unknown, "--report", report);
        Assert.True(code == 0, stderr);
        Assert.Contains("Unknown items: 30 known, 6 unknown", stdout);
        var row = stdout.Split('\n').Single(l => l.Contains("← used"));
        var cells = row.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.InRange(double.Parse(cells[1], System.Globalization.CultureInfo.InvariantCulture), 0.95, 1.0); // AUROC
        Assert.Equal("0.0%", cells[2]);                                                                     // no noise picture accepted
        var html = File.ReadAllText(Path.Combine(report, "report.html"));
        Assert.Contains("<section id=\"unknown\"><h2>Unknown items</h2>", html);
        Assert.Contains("href=\"#unknown\"", html);
        Assert.True(File.Exists(Path.Combine(report, "unknown_mahalanobis.png")));
        Assert.True(File.Exists(Path.Combine(report, "unknown_energy.png")));
        Assert.True(File.Exists(Path.Combine(report, "unknown_knn.png")));
    }

    [Fact]
    public void EvaluateUnknownNeedsACalibratedModelAndCalibrateNeedsHeldOutImages()
    {
        var (code, _, stderr) = ConsoleCapture.Run("evaluate", "--model", model, "--data", data, "--val-split", "0.5", "--unknown", unknown);
        Assert.NotEqual(0, code);
        Assert.Contains("has no open-set calibration; run `sharpvision calibrate-unknown`", stderr);
        (code, _, stderr) = ConsoleCapture.Run("calibrate-unknown", "--model", model, "--data", data);
        Assert.Equal(2, code);
        Assert.Contains("--val-split", stderr);
        (code, _, stderr) = ConsoleCapture.Run("calibrate-unknown", "--model", model, "--data", data, "--val-split", "0.5", "--method", "psychic");
        Assert.Equal(2, code);
        Assert.Contains("--method must be auto, max-softmax, energy, mahalanobis, knn; got 'psychic'", stderr);
    }
}
