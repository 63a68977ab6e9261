using SharpVision.Engine;
using SharpVision.Engine.IO;
using SharpVision.Models;
using SharpVision.Onnx;
using SharpVision.Tests.Support;
using SharpVision.Transfer.Pretrained;

namespace SharpVision.Tests.Onnx;

/// <summary>
/// ONNX in: ML.NET's ImageNet ResNet-18 featurizer (a CNTK export from NuGet's Microsoft.ML.DnnImageFeaturizer.ResNet18
/// 0.24.0, restored with the tests) maps onto the zoo's resnet18 and reproduces ONNX Runtime's features; graphs that
/// do not fit say where.
/// </summary>
[Collection("console")]
public sealed class OnnxImportTests
{
    private static string Packaged(string name) => Path.Combine(AppContext.BaseDirectory, "onnx-models", name);

    [Fact]
    public void DnnImageFeaturizerResNet18ImportsOntoResnet18AndMatchesOnnxRuntime()
    {
        var (model, result) = OnnxWeightsImporter.Import(Packaged("ResNet18.onnx"), "resnet18", new OnnxImportOptions { Bgr = true });
        using (model)
        {
            Assert.Equal(20, result.Convolutions);
            Assert.Equal(0, result.Dense);
            Assert.Equal(new[] { "fc" }, result.Unmapped);
            // The CNTK graph has a ninth residual block after torchvision's eight: compared where resnet18 ends.
            Assert.StartsWith("features at 'ReLU", result.Compared);
            Assert.Contains("2 further convolutions", result.Compared);
            Assert.True(result.Verification.MaxAbsDifference <= 1e-4, result.Verification.ToString());
            Assert.True(result.Verification.MaxAbsReference > 0.1, "the features are not trivially zero");
        }
    }

    [Fact]
    public void WeightsImportCommandWritesPretrainedWeightsWithThePreprocessingFolded()
    {
        using var dir = new TempDirectory("sv-onnx-import");
        var output = dir.File("resnet18_cntk.safetensors");

        var (code, stdout, err) = ConsoleCapture.Run("weights", "import", Packaged("ResNet18.onnx"), "--arch", "resnet18",
            "--preprocess", Packaged("ResNetPreprocess.onnx"), "--out", output);

        Assert.True(code == 0, stdout + err);
        Assert.Matches(@"ONNX Runtime check \(features at .*\): max \|ONNX Runtime - libtorch\| = [0-9.e+-]+ ", stdout);
        Assert.Contains("normalisation: ImageNet", stdout);
        // The file is a --pretrained backbone for resnet18: every backbone tensor loads, the head is left to training.
        using var target = ModelZoo.Create("resnet18", new ModelOptions { NumClasses = 5 });
        var report = SharpVision.Transfer.Pretrained.PretrainedWeights.Load(target, output);
        Assert.True(report.BackboneComplete, report.Describe());
        var (tensors, _) = SafeTensors.Load(output);
        Assert.DoesNotContain(tensors.Keys, k => k.StartsWith("fc.", StringComparison.Ordinal));
        foreach (var t in tensors.Values) t.Dispose();
    }

    [Fact]
    public void TrainAcceptsAnOnnxFileAsPretrainedBackbone()
    {
        using var dir = new TempDirectory("sv-onnx-import");
        var data = SyntheticImages.CreateFolder(dir.File("data"), perClass: 3, size: 32, seed: 6);
        var run = dir.File("run");

        var (code, stdout, err) = ConsoleCapture.Run("train", "--data", data, "--model", "resnet18", "--input", "32", "--epochs", "1", "--batch", "9",
            "--pretrained", Packaged("ResNet18.onnx"), "--out", run, "--no-progress");

        Assert.True(code == 0, stdout + err);
        Assert.Contains("Imported ", stdout);
        Assert.True(File.Exists(Path.Combine(run, "ResNet18.imported.safetensors")));
        Assert.True(File.Exists(Path.Combine(run, "best.safetensors")));
    }

    [Fact]
    public void AGraphThatDoesNotFitTheArchitectureSaysWhere()
    {
        var e = Assert.Throws<InvalidDataException>(() => OnnxWeightsImporter.Import(Packaged("ResNet18.onnx"), "resnet50"));
        Assert.Contains("Conv node 'Convolution", e.Message);
        Assert.Contains("does not match resnet50", e.Message);

        var (code, _, err) = ConsoleCapture.Run("weights", "import", Packaged("ResNet18.onnx"), "--arch", "resnet34", "--out", Path.Combine(Path.GetTempPath(), $"sv-{Guid.NewGuid():N}.safetensors"));
        Assert.NotEqual(0, code);
        Assert.Single(err.Trim().Split('\n'));
        Assert.Contains("does not match resnet34", err);
    }

    [Fact]
    public void OwnExportImportsBackWithIdenticalWeights()
    {
        using var dir = new TempDirectory("sv-onnx-import");
        var (model, descriptor) = OnnxTestModels.Create("resnet18", 64, classes: 1000);
        using (model)
        {
            var path = dir.File("r18.onnx");
            OnnxExporter.Export(model, descriptor, path);
            var (imported, result) = OnnxWeightsImporter.Import(path, "resnet18");
            using (imported)
            {
                Assert.Equal("logits", result.Compared);
                Assert.True(result.Verification.Passed, result.Verification.ToString());
                var a = model.StateDict();
                var b = imported.StateDict();
                foreach (var (name, t) in a.Where(kv => !kv.Key.EndsWith("num_batches_tracked", StringComparison.Ordinal)))
                {
                    using var d = t - b[name];
                    using var m = d.Abs().Max();
                    Assert.True(m.ItemFloat() == 0, name);
                }
                foreach (var t in a.Values.Concat(b.Values)) t.Dispose();
            }
        }
    }
}
