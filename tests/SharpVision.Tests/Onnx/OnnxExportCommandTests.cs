using SharpVision.Layers;
using SharpVision.Models;
using SharpVision.Onnx;
using SharpVision.Onnx.Proto;
using SharpVision.Tests.Support;

namespace SharpVision.Tests.Onnx;

/// <summary><c>sharpvision export</c>: the file's structure and metadata, the parity report, and refusals.</summary>
[Collection("console")]
public sealed class OnnxExportCommandTests
{
    private static string SaveModel(TempDirectory dir, string name, int size, int channels = 3, int classes = 5)
    {
        var (model, descriptor) = OnnxTestModels.Create(name, size, channels, classes);
        using (model)
        {
            var path = dir.File($"{name}.safetensors");
            ModelFile.Save(path, model, descriptor);
            return path;
        }
    }

    [Fact]
    public void ExportWritesOpset17EvalGraphWithDynamicBatchAndMetadataAndPrintsTheParity()
    {
        using var dir = new TempDirectory("sv-onnx");
        var model = SaveModel(dir, "cafe-cnn-dropout", 64);
        var onnx = dir.File("cafe.onnx");

        var (code, output, error) = ConsoleCapture.Run("export", "--model", model, "--out", onnx);

        Assert.True(code == 0, output + error);
        Assert.Matches(@"parity check: max \|ONNX Runtime - libtorch\| = [0-9.e+-]+ .*arg-max identical", output);
        var proto = ModelProto.Parser.ParseFrom(File.ReadAllBytes(onnx));
        Assert.True(proto.OpsetImport.Single(o => o.Domain == "").Version >= 17);
        var input = proto.Graph.Input.Single();
        Assert.Equal("batch", input.Type.TensorType.Shape.Dim[0].DimParam);
        Assert.Equal(new long[] { 3, 64, 64 }, input.Type.TensorType.Shape.Dim.Skip(1).Select(d => d.DimValue));
        Assert.Equal("logits", proto.Graph.Output.Single().Name);
        Assert.DoesNotContain(proto.Graph.Node, n => n.OpType == "Dropout");
        var meta = proto.MetadataProps.ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal("[\"class0\",\"class1\",\"class2\",\"class3\",\"class4\"]", meta["classes"]);
        Assert.Equal("3x64x64", meta["input"]);
        Assert.Equal("Stretch", meta["resize"]);
        Assert.Equal("0.485,0.456,0.406", meta["mean"]);
        Assert.Equal("0.229,0.224,0.225", meta["std"]);
        Assert.Equal("model=cafe-cnn-dropout seed=7", meta["training_fingerprint"]);
        Assert.Equal(OnnxMetadata.Version, meta["sharpvision_version"]);
    }

    [Fact]
    public void SoftmaxAndNoVerifyOptions()
    {
        using var dir = new TempDirectory("sv-onnx");
        var model = SaveModel(dir, "lenet5", 28, channels: 1, classes: 10);
        var onnx = dir.File("lenet.onnx");

        var (code, output, error) = ConsoleCapture.Run("export", "--model", model, "--out", onnx, "--softmax", "--no-verify");

        Assert.True(code == 0, output + error);
        Assert.DoesNotContain("parity", output);
        var proto = ModelProto.Parser.ParseFrom(File.ReadAllBytes(onnx));
        Assert.Equal("probabilities", proto.Graph.Output.Single().Name);
        Assert.Equal("probabilities", proto.MetadataProps.Single(p => p.Key == "output").Value);
    }

    [Fact]
    public void LayerWithoutOnnxMappingIsRefusedByName()
    {
        using var model = new Sequential(new Conv2d(3, 4, 3), new ConvTranspose2d(4, 4, 2), new GlobalAvgPool(), new Linear(4, 2));
        var descriptor = new ModelDescriptor { Architecture = "custom", Options = new ModelOptions(), ClassNames = new[] { "a", "b" }, InputHeight = 16, InputWidth = 16 };
        using var dir = new TempDirectory("sv-onnx");

        var e = Assert.Throws<OnnxExportException>(() => OnnxExporter.Export(model, descriptor, dir.File("x.onnx")));

        Assert.Contains("layer '1' (ConvTranspose2d)", e.Message);
        Assert.False(File.Exists(dir.File("x.onnx")));
    }

    [Fact]
    public void ExportOfAFileThatIsNotAModelFailsWithOneLine()
    {
        using var dir = new TempDirectory("sv-onnx");
        var notModel = dir.File("notes.safetensors");
        File.WriteAllText(notModel, "hello, not a model");

        var (code, _, error) = ConsoleCapture.Run("export", "--model", notModel, "--out", dir.File("x.onnx"));

        Assert.Equal(2, code);
        Assert.Single(error.Trim().Split('\n'));
        Assert.Contains(notModel, error);
        Assert.Contains("not a SharpVision model file", error);
    }
}
