using System.Globalization;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace SharpVision.Tests.Onnx;

/// <summary>The code of docs/deploy.md, verbatim between the snippet markers (DeploySnippetTests checks the page against this file).</summary>
internal static class DeploySnippets
{
    public static string ClassifyWithOnnxRuntime(string modelPath, string photoPath)
    {
        // snippet: onnxruntime
        using var session = new InferenceSession(modelPath);
        var meta = session.ModelMetadata.CustomMetadataMap;                       // written by `sharpvision export`
        var classes = JsonSerializer.Deserialize<string[]>(meta["classes"])!;
        var size = meta["input"].Split('x').Select(int.Parse).ToArray();          // C x H x W
        var mean = meta["mean"].Split(',').Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var std = meta["std"].Split(',').Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        using var image = Image.Load<Rgb24>(photoPath);
        image.Mutate(x => x.Resize(size[2], size[1]));                             // resize mode "Stretch"
        var input = new DenseTensor<float>(new[] { 1, 3, size[1], size[2] });
        for (var y = 0; y < size[1]; y++) for (var x = 0; x < size[2]; x++) for (var c = 0; c < 3; c++)
            input[0, c, y, x] = (image[x, y].ToVector4()[c] - mean[c % mean.Length]) / std[c % std.Length];
        using var results = session.Run(new[] { NamedOnnxValue.CreateFromTensor("input", input) });
        var scores = results[0].AsEnumerable<float>().ToArray();                  // logits (or probabilities with --softmax)
        return classes[Array.IndexOf(scores, scores.Max())];
        // end snippet
    }

    // snippet: mlnet
    public sealed class ImageInput
    {
        [ColumnName("input"), VectorType(1, 3, 64, 64)] public float[] Pixels { get; set; } = [];
    }

    public static float[] ScoreWithMlNet(string modelPath, float[] normalisedPixels)
    {
        var ml = new MLContext();
        var data = ml.Data.LoadFromEnumerable(new[] { new ImageInput { Pixels = normalisedPixels } });
        var pipeline = ml.Transforms.ApplyOnnxModel(outputColumnNames: new[] { "logits" }, inputColumnNames: new[] { "input" }, modelFile: modelPath,
            shapeDictionary: new Dictionary<string, int[]> { ["input"] = new[] { 1, 3, 64, 64 } }, recursionLimit: 100);
        var scored = pipeline.Fit(data).Transform(data);
        return scored.GetColumn<float[]>("logits").First();
    }
    // end snippet
}
