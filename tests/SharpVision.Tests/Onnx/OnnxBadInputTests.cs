using Google.Protobuf;
using SharpVision.Onnx.Proto;
using SharpVision.Tests.Support;

namespace SharpVision.Tests.Onnx;

/// <summary>Broken, foreign or mismatched .onnx files: one-line errors naming the file and the problem, exit code 2.</summary>
[Collection("console")]
public sealed class OnnxBadInputTests
{
    private static (int Code, string Out, string Err) Predict(string model, string image, params string[] extra) =>
        ConsoleCapture.Run(new[] { "predict", "--model", model, image }.Concat(extra).ToArray());

    private static string Photo(TempDirectory dir)
    {
        var path = dir.File("photo.png");
        SharpVision.Imaging.PngEncoder.Save(SyntheticImages.Make(1, 40, new Random(2)), path);
        return path;
    }

    private static void AssertOneLineError(int code, string err, string file, string problem)
    {
        Assert.Equal(2, code);
        var lines = err.Trim().Split('\n');
        Assert.Single(lines);
        Assert.StartsWith("error: ", lines[0]);
        Assert.Contains(file, lines[0]);
        Assert.Contains(problem, lines[0]);
    }

    [Fact]
    public void CorruptTruncatedAndForeignFilesAreRefused()
    {
        using var dir = new TempDirectory("sv-onnx-bad");
        var photo = Photo(dir);
        var (st, onnx) = OnnxTestModels.SaveBoth(dir.Path, "lenet5", 28, 1, SyntheticImages.Classes);

        var garbage = dir.File("garbage.onnx");
        File.WriteAllBytes(garbage, Enumerable.Range(0, 4096).Select(i => (byte)(i * 7919 % 251)).ToArray());
        var (c1, _, e1) = Predict(garbage, photo);
        AssertOneLineError(c1, e1, garbage, "not a valid ONNX model");

        var truncated = dir.File("truncated.onnx");
        var bytes = File.ReadAllBytes(onnx);
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
        var (c2, _, e2) = Predict(truncated, photo);
        AssertOneLineError(c2, e2, truncated, "not a valid ONNX model");

        var renamed = dir.File("model-file.onnx");
        File.Copy(st, renamed);
        var (c3, _, e3) = Predict(renamed, photo);
        AssertOneLineError(c3, e3, renamed, "is a safetensors file");

        var image = dir.File("picture.onnx");
        File.Copy(photo, image);
        var (c4, _, e4) = Predict(image, photo);
        AssertOneLineError(c4, e4, image, "not a valid ONNX model");
    }

    [Fact]
    public void OnnxWithoutMetadataNamesTheMissingFieldsAndAcceptsThemAsOptions()
    {
        using var dir = new TempDirectory("sv-onnx-bad");
        var photo = Photo(dir);
        var (_, onnx) = OnnxTestModels.SaveBoth(dir.Path, "cafe-cnn", 64, 3, SyntheticImages.Classes);
        var bare = dir.File("bare.onnx");
        var proto = ModelProto.Parser.ParseFrom(File.ReadAllBytes(onnx));
        proto.MetadataProps.Clear();
        File.WriteAllBytes(bare, proto.ToByteArray());

        var (code, _, err) = Predict(bare, photo);
        AssertOneLineError(code, err, bare, "no SharpVision metadata");
        Assert.Contains("classes (--classes)", err);
        Assert.Contains("input (--input)", err);
        Assert.Contains("normalization (--normalize)", err);

        var (ok, withMeta, e1) = Predict(onnx, photo, "--top", "3");
        var (ok2, supplied, e2) = Predict(bare, photo, "--top", "3", "--classes", string.Join(",", SyntheticImages.Classes), "--input", "64", "--normalize", "imagenet");
        Assert.True(ok == 0, e1);
        Assert.True(ok2 == 0, e2);
        Assert.Equal(withMeta, supplied);
    }

    [Fact]
    public void AnInputSizeTheGraphFixesDifferentlyIsRefused()
    {
        using var dir = new TempDirectory("sv-onnx-bad");
        var photo = Photo(dir);
        var (_, onnx) = OnnxTestModels.SaveBoth(dir.Path, "cafe-cnn", 64, 3, SyntheticImages.Classes);

        var (code, _, err) = Predict(onnx, photo, "--input", "96");

        AssertOneLineError(code, err, onnx, "the graph fixes its input at 3x64x64 but 3x96x96 was asked for");
    }

    [Fact]
    public void OnnxOnlyOptionsAreRefusedForAModelFile()
    {
        using var dir = new TempDirectory("sv-onnx-bad");
        var photo = Photo(dir);
        var (st, _) = OnnxTestModels.SaveBoth(dir.Path, "lenet5", 28, 1, SyntheticImages.Classes);

        var (code, _, err) = Predict(st, photo, "--classes", "a,b,c");

        AssertOneLineError(code, err, st, "describe .onnx models");
    }
}
