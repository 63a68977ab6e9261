using System.Globalization;
using SharpVision.Data;
using SharpVision.Evaluation;
using SharpVision.Inference;
using SharpVision.Onnx;
using SharpVision.Tests.Support;

namespace SharpVision.Tests.Onnx;

/// <summary>predict and evaluate on an exported .onnx file agree with the .safetensors model on libtorch to 1e-4.</summary>
[Collection("console")]
public sealed class OnnxInferenceTests
{
    [Theory]
    [InlineData("cafe-cnn", 64, 3, ResizeMode.Letterbox)]
    [InlineData("lenet5", 28, 1, ResizeMode.CenterCrop)]
    [InlineData("small-convnet", 80, 3, ResizeMode.Stretch)]
    public void OnnxClassifierGivesTheLibtorchProbabilitiesForPhotos(string name, int size, int channels, ResizeMode resize)
    {
        using var dir = new TempDirectory("sv-onnx");
        var classes = name == "small-convnet" ? SyntheticImages.Classes.Take(2).ToArray() : SyntheticImages.Classes;
        var (st, onnx) = OnnxTestModels.SaveBoth(dir.Path, name, size, channels, classes, resize);
        var rng = new Random(5);
        var photos = Enumerable.Range(0, 7).Select(i => SyntheticImages.Make(i % 3, 40 + i, rng)).ToList();

        using var torch = ImageClassifier.Load(st);
        using var ort = OnnxImageClassifier.Load(onnx, threads: 1);
        var expected = torch.PredictProbabilities(photos);
        var actual = ort.PredictProbabilities(photos);

        Assert.Equal(classes, ort.ClassNames);
        Assert.Equal(torch.Descriptor.Normalization.Mean, ort.Descriptor.Normalization.Mean);
        Assert.Equal(resize, ort.Descriptor.Resize);
        for (var i = 0; i < photos.Count; i++)
        {
            Assert.Equal(expected[i].Length, actual[i].Length);
            for (var k = 0; k < expected[i].Length; k++) Assert.True(Math.Abs(expected[i][k] - actual[i][k]) <= 1e-4, $"image {i} class {k}: {expected[i][k]} vs {actual[i][k]}");
            Assert.Equal(Array.IndexOf(expected[i], expected[i].Max()), Array.IndexOf(actual[i], actual[i].Max()));
        }
    }

    [Fact]
    public void EvaluatorGivesTheSameProbabilitiesOnOnnxRuntime()
    {
        using var dir = new TempDirectory("sv-onnx");
        var data = SyntheticImages.CreateFolder(Path.Combine(dir.Path, "data"), perClass: 4, size: 40, seed: 3);
        var (st, onnx) = OnnxTestModels.SaveBoth(dir.Path, "cafe-cnn", 64, classNames: SyntheticImages.Classes);
        var dataset = DatasetOpener.Open(data, DatasetOpener.ParseFormat("auto"), "test");

        using var torch = ImageClassifier.Load(st);
        using var ort = ImagePredictors.Load(onnx, new ImagePredictorOptions { Threads = 1 });
        var a = ModelEvaluator.Evaluate(torch, dataset).Input.Probabilities;
        var b = ModelEvaluator.Evaluate(ort, dataset).Input.Probabilities;

        Assert.Equal(12, a.Count);
        Assert.Equal(a.Count, b.Count);
        var worst = a.Zip(b).Max(p => p.First.Zip(p.Second).Max(v => Math.Abs(v.First - v.Second)));
        Assert.True(worst <= 1e-4, $"max |difference| {worst}");
    }

    [Fact]
    public void PredictCsvAndEvaluateJsonOfTheOnnxFileMatchTheModelFile()
    {
        using var dir = new TempDirectory("sv-onnx");
        var data = SyntheticImages.CreateFolder(Path.Combine(dir.Path, "data"), perClass: 3, size: 36, seed: 4);
        var (st, onnx) = OnnxTestModels.SaveBoth(dir.Path, "cafe-cnn", 64, classNames: SyntheticImages.Classes);

        var csvTorch = dir.File("torch.csv");
        var csvOrt = dir.File("ort.csv");
        var r1 = ConsoleCapture.Run("predict", "--model", st, data, "--csv", csvTorch, "--top", "3");
        var r2 = ConsoleCapture.Run("predict", "--model", onnx, data, "--csv", csvOrt, "--top", "3", "--threads", "1");
        Assert.True(r1.Code == 0, r1.Err);
        Assert.True(r2.Code == 0, r2.Err);
        var rowsTorch = File.ReadAllLines(csvTorch);
        var rowsOrt = File.ReadAllLines(csvOrt);
        Assert.Equal(10, rowsOrt.Length); // header + 9 images
        for (var i = 1; i < rowsTorch.Length; i++)
        {
            var t = rowsTorch[i].Split(',');
            var o = rowsOrt[i].Split(',');
            Assert.Equal(t[0], o[0]);
            Assert.Equal(t[1], o[1]); // the label
            for (var k = 2; k < t.Length; k += 2)
                Assert.True(Math.Abs(double.Parse(t[k], CultureInfo.InvariantCulture) - double.Parse(o[k], CultureInfo.InvariantCulture)) <= 1e-4, $"{rowsTorch[i]} vs {rowsOrt[i]}");
        }

        var e1 = ConsoleCapture.Run("evaluate", "--model", st, "--data", data, "--json");
        var e2 = ConsoleCapture.Run("evaluate", "--model", onnx, "--data", data, "--json", "--threads", "1");
        Assert.True(e1.Code == 0, e1.Err);
        Assert.True(e2.Code == 0, e2.Err);
        var m1 = MetricsJson.Deserialize(e1.Out[e1.Out.IndexOf('{')..]).Evaluation;
        var m2 = MetricsJson.Deserialize(e2.Out[e2.Out.IndexOf('{')..]).Evaluation;
        Assert.Equal(9, m2.Count);
        Assert.Equal(m1.Accuracy, m2.Accuracy, 10);
        Assert.Equal(m1.Loss, m2.Loss, 4);
    }
}
