using SharpVision.Imaging;
using SharpVision.Onnx;
using SharpVision.Tests.Support;

namespace SharpVision.Tests.Onnx;

/// <summary>docs/deploy.md's code is this project's compiled code (DeploySnippets.cs), and it classifies like SharpVision.</summary>
public sealed class DeploySnippetTests
{
    private static string Snippet(string text, string name)
    {
        var start = text.IndexOf($"// snippet: {name}", StringComparison.Ordinal);
        var end = text.IndexOf("// end snippet", start, StringComparison.Ordinal);
        var lines = text[start..end].Split('\n').Skip(1).Select(l => l.Trim()).Where(l => l.Length > 0);
        return string.Join("\n", lines);
    }

    private static string Normalise(string code) => string.Join("\n", code.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0));

    [Fact]
    public void DeployPageShowsTheCompiledSnippetsInAtMost15Lines()
    {
        var page = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "docs", "deploy.md"));
        var source = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "tests", "SharpVision.Tests", "Onnx", "DeploySnippets.cs"));
        foreach (var name in new[] { "onnxruntime", "mlnet" })
        {
            var code = Snippet(source, name);
            Assert.Contains(code, Normalise(page));
            if (name == "onnxruntime") Assert.True(code.Split('\n').Length <= 15, $"{code.Split('\n').Length} lines");
        }
    }

    [Fact]
    public void PlainOnnxRuntimeSnippetAndMlNetScoreLikeSharpVision()
    {
        using var dir = new TempDirectory("sv-deploy");
        var (_, onnx) = OnnxTestModels.SaveBoth(dir.Path, "cafe-cnn", 64, classNames: SyntheticImages.Classes);
        var photo = dir.File("photo.png");
        PngEncoder.Save(SyntheticImages.Make(2, 64, new Random(8)), photo); // already 64×64: no resampler differences
        using var sharpVision = OnnxImageClassifier.Load(onnx, threads: 1);
        var image = ImageDecoder.DecodeFile(photo);
        var expected = ((SharpVision.Inference.IImagePredictor)sharpVision).Predict(new[] { image }, 1)[0][0].ClassName;

        Assert.Equal(expected, DeploySnippets.ClassifyWithOnnxRuntime(onnx, photo));

        var pixels = new float[3 * 64 * 64];
        var mean = new[] { 0.485f, 0.456f, 0.406f };
        var std = new[] { 0.229f, 0.224f, 0.225f };
        for (var c = 0; c < 3; c++)
            for (var p = 0; p < 64 * 64; p++) pixels[c * 4096 + p] = (image.Pixels[p * 3 + c] / 255f - mean[c]) / std[c];
        var logits = DeploySnippets.ScoreWithMlNet(onnx, pixels);
        var probabilities = sharpVision.PredictProbabilities(new[] { image })[0];
        Assert.Equal(Array.IndexOf(probabilities, probabilities.Max()), Array.IndexOf(logits, logits.Max()));
        var softmax = OnnxImageClassifier.Probabilities(logits);
        for (var k = 0; k < softmax.Length; k++) Assert.True(Math.Abs(softmax[k] - probabilities[k]) <= 1e-4);
    }
}
