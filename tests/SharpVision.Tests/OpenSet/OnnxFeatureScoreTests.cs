using SharpVision.Evaluation;
using SharpVision.Imaging;
using SharpVision.Inference;
using SharpVision.Models;
using SharpVision.Onnx;
using SharpVision.Tests.Explain;
using SharpVision.Tests.Onnx;
using SharpVision.Tests.Support;

namespace SharpVision.Tests.OpenSet;

/// <summary>
/// A feature score (k-NN, Mahalanobis) travels to ONNX: the export gains a "features" output, and the ONNX classifier
/// scores and decides exactly as libtorch does.
/// </summary>
public class OnnxFeatureScoreTests
{
    [Theory]
    [InlineData("mobilenet_v2", UnknownScoreKind.NearestNeighbour)]
    [InlineData("resnet18", UnknownScoreKind.Mahalanobis)]
    public void TheExportCarriesTheFeaturesAndOnnxDecidesAsLibtorch(string architecture, UnknownScoreKind kind)
    {
        var (model, descriptor) = OnnxTestModels.Create(architecture, 32, classes: 3, classNames: ColourSquares.Classes);
        using var dir = new TempDirectory("sv-onnx-knn");
        var rng = new Random(11);
        var photos = Enumerable.Range(0, 12).Select(i => ColourSquares.Make(i % 3, 55_000 + i)).ToList();
        for (var i = 0; i < 6; i++)
        {
            var noise = new RgbImage(32, 32);
            rng.NextBytes(noise.Pixels);
            photos.Add(noise);
        }
        using (model)
        {
            // Fit the bank (or the class means) to other squares, then put the threshold in the widest gap between
            // neighbouring scores of the middle half of the photos, so that both decisions occur and none sits near the
            // threshold.
            using var torchRaw = new ImageClassifier(model, descriptor);
            var fitImages = Enumerable.Range(0, 30).Select(i => ColourSquares.Make(i % 3, 66_000 + i)).ToList();
            var fit = torchRaw.PredictOutputs(torchRaw.ToBatch(fitImages));
            var labels = Enumerable.Range(0, 30).Select(i => i % 3).ToArray(); // Make(colour) is class `colour` of ColourSquares.Classes
            var draft = new UnknownDetector
            {
                Kind = kind, Threshold = 0,
                NearestNeighbour = NearestNeighbourParameters.Fit(fit.Features!, k: 2, labels: labels),
                Mahalanobis = MahalanobisParameters.Fit(fit.Features!, labels, 3, shrinkage: 0.5),
                Thresholds = new Dictionary<UnknownScoreKind, double> { [UnknownScoreKind.Energy] = 0 },
            };
            var outputs = torchRaw.PredictOutputs(torchRaw.ToBatch(photos));
            var scores = Enumerable.Range(0, photos.Count).Select(i => draft.Score(outputs.Logits[i], outputs.Features![i])).Order().ToArray();
            var gap = Enumerable.Range(scores.Length / 4, scores.Length / 2).MaxBy(i => scores[i + 1] - scores[i]);
            var calibrated = descriptor with { Unknown = draft with { Threshold = (scores[gap] + scores[gap + 1]) / 2 } };
            var modelPath = dir.File("model.safetensors");
            ModelFile.Save(modelPath, model, calibrated);
            OnnxExporter.ExportFile(modelPath, dir.File("model.onnx"));
        }
        using var torch = ImageClassifier.Load(dir.File("model.safetensors"));
        using var ort = OnnxImageClassifier.Load(dir.File("model.onnx"), threads: 1);
        Assert.Equal(kind, ort.Descriptor.Unknown!.Kind);
        var expected = torch.Classify(photos);
        var actual = ort.Classify(photos);
        for (var i = 0; i < photos.Count; i++)
        {
            Assert.Equal(expected[i].Known, actual[i].Known);
            var (e, a) = (expected[i].UnknownScore!.Value, actual[i].UnknownScore!.Value);
            Assert.True(Math.Abs(e - a) <= 1e-5 * Math.Max(1, Math.Abs(e)), $"photo {i}: libtorch {e}, ONNX Runtime {a}"); // float32 rounding only
        }
        Assert.Contains(actual, c => !c.Known);
        Assert.Contains(actual, c => c.Known);
    }
}
