using SharpVision.Engine;
using SharpVision.Engine.IO;
using SharpVision.Models;
using SharpVision.Tests.Models;
using SharpVision.Tests.Support;
using SharpVision.Transfer.Pretrained;
using SharpVision.Transfer;

namespace SharpVision.Tests.Transfer;

[Collection("console")]
public class WeightsCommandTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => ConsoleCapture.Run(args);

    [Fact]
    public void InspectShowsNamesShapesDtypesCountsAndMetadata()
    {
        using var dir = new TempDirectory();
        using (var model = ModelZoo.Create("lenet5", new ModelOptions { NumClasses = 10 }))
            TransferFixtures.SaveWeights(model, dir.File("lenet.safetensors"), new Dictionary<string, string> { ["source"] = "unit test" });
        var (code, output, _) = Run("weights", "inspect", dir.File("lenet.safetensors"), "--all");
        Assert.Equal(0, code);
        Assert.Contains("source: unit test", output);
        Assert.Contains("F32", output);
        using var expected = ModelZoo.Create("lenet5", new ModelOptions { NumClasses = 10 });
        Assert.Contains($"parameters: {expected.CountParameters():N0}", output);
        foreach (var (name, p) in expected.NamedParameters())
            Assert.Contains($"[{string.Join(", ", p.Shape)}]", output.Split('\n').First(l => l.StartsWith(name + " ", StringComparison.Ordinal)));
    }

    [Fact]
    public void InspectRejectsMissingAndPickleFilesClearly()
    {
        using var dir = new TempDirectory();
        var (code, _, err) = Run("weights", "inspect", dir.File("none.safetensors"));
        Assert.Equal(1, code);
        Assert.Contains("not found", err);
        File.WriteAllBytes(dir.File("x-1234abcd.pth"), new byte[] { 0x80, 2 });
        (code, _, err) = Run("weights", "inspect", dir.File("x-1234abcd.pth"));
        Assert.Equal(1, code);
        Assert.Contains("x-1234abcd.pth", err);
        Assert.Contains("ends early", err);
    }

    [Fact]
    public void ListShowsKnownNamesAndTheFilesOfAFolder()
    {
        using var dir = new TempDirectory();
        using (var model = ModelZoo.Create("lenet5", new ModelOptions { NumClasses = 10 }))
            TransferFixtures.SaveWeights(model, dir.File("resnet18_imagenet.safetensors"));
        File.WriteAllBytes(dir.File("vgg16-397923af.pth"), new byte[10]);
        var (code, output, _) = Run("weights", "list", dir.Path);
        Assert.Equal(0, code);
        Assert.Contains("resnet18_imagenet.safetensors", output);
        Assert.Contains("vgg16-397923af.pth  unreadable", output);
        Assert.Contains(dir.File("resnet18_imagenet.safetensors"), output.Split('\n').First(l => l.TrimStart().StartsWith("resnet18 ", StringComparison.Ordinal)));
        Assert.Contains("not here (sharpvision weights fetch resnet50)", output);
        Assert.Equal(1, Run("weights", "list", dir.File("missing")).Code);
    }

    [Fact]
    public void ImportPrintsTheExactCommand()
    {
        var (code, output, _) = Run("weights", "import", "resnet50", "--out", "/tmp/r50.safetensors", "--print");
        Assert.Equal(0, code);
        Assert.Contains("import_torchvision.py resnet50 --out /tmp/r50.safetensors", output);
        (code, output, _) = Run("weights", "import", "--pth", "/tmp/a.pth", "--print");
        Assert.Equal(0, code);
        Assert.Contains("--pth /tmp/a.pth --out /tmp/a.safetensors", output);
        Assert.Equal(1, Run("weights", "import", "alexnet", "--print").Code);
    }

    [Fact]
    public void FetchDownloadsFromALoopbackMirror()
    {
        using var dir = new TempDirectory();
        var payload = new byte[] { 1, 2, 3, 4, 5 };
        var sha = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(payload)).ToLowerInvariant();
        using var server = new LoopbackFileServer(new() { [$"/m/resnet18-{sha[..8]}.pth"] = payload, ["/m/resnet18-00000000.pth"] = payload });
        var (code, output, _) = Run("weights", "fetch", "resnet18", "--folder", dir.Path, "--url", server.Url($"/m/resnet18-{sha[..8]}.pth").ToString(), "--no-convert");
        Assert.Equal(0, code);
        Assert.Contains("verified sha256", output);
        Assert.True(File.Exists(Path.Combine(dir.Path, $"resnet18-{sha[..8]}.pth")));
        var (bad, _, err) = Run("weights", "fetch", "resnet18", "--folder", dir.Path, "--url", server.Url("/m/resnet18-00000000.pth").ToString(), "--no-convert");
        Assert.Equal(1, bad);
        Assert.Contains("checksum mismatch", err);
    }

    [InteropFact]
    public void ImportConvertsATrainingCheckpointWithoutPythonAndInspectReadsPthDirectly()
    {
        var fixtures = InteropFixtures.Ensure();
        using var dir = new TempDirectory();
        var (code, output, err) = Run("weights", "import", "--pth", Path.Combine(fixtures, "resnet18.ddp.pth"), "--out", dir.File("r18.safetensors"), "--python", "/nonexistent/python3");
        Assert.True(code == 0, err);
        Assert.Contains("without Python", output);
        var summary = WeightsFileSummary.Read(dir.File("r18.safetensors"));
        Assert.Contains(summary.Tensors, t => t.Name == "layer4.1.bn2.running_var");
        Assert.DoesNotContain(summary.Tensors, t => t.Name.StartsWith("module.", StringComparison.Ordinal));

        (code, output, _) = Run("weights", "inspect", Path.Combine(fixtures, "resnet18.pth"));
        Assert.Equal(0, code);
        Assert.Contains("conv1.weight", output);

        (code, _, err) = Run("weights", "inspect", Path.Combine(fixtures, "evil.pth"));
        Assert.Equal(1, code);
        Assert.Contains("evil.pth", err);
        Assert.Contains("refused", err);
    }

    [TorchFact]
    public void ThePythonScriptConvertsAStateDictFileThatThenLoads()
    {
        using var dir = new TempDirectory();
        var python = TorchvisionImport.FindPythonWithTorch(out _)!;
        // A DataParallel-style checkpoint of lenet5 written by torch itself.
        using (var model = ModelZoo.Create("lenet5", new ModelOptions { NumClasses = 10 }))
            TransferFixtures.SaveWeights(model, dir.File("reference.safetensors"));
        var script = $$"""
            import json, struct, torch
            raw = open(r"{{dir.File("reference.safetensors")}}", "rb").read()
            n = struct.unpack("<Q", raw[:8])[0]
            header = json.loads(raw[8:8 + n])
            sd = {}
            for k, v in header.items():
                if k == "__metadata__": continue
                a, b = v["data_offsets"]
                sd["module." + k] = torch.frombuffer(bytearray(raw[8 + n + a:8 + n + b]), dtype=torch.float32).reshape(v["shape"]).clone()
            torch.save({"state_dict": sd, "epoch": 3}, r"{{dir.File("lenet-1234abcd.pth")}}")
            """;
        File.WriteAllText(dir.File("make.py"), script);
        var psi = new System.Diagnostics.ProcessStartInfo(python, dir.File("make.py")) { RedirectStandardError = true };
        using (var p = System.Diagnostics.Process.Start(psi)!)
        {
            var err = p.StandardError.ReadToEnd();
            p.WaitForExit();
            Assert.True(p.ExitCode == 0, err);
        }
        var (code, output) = TorchvisionImport.Run(python, new[] { "--pth", dir.File("lenet-1234abcd.pth"), "--out", dir.File("lenet.safetensors"), "--arch", "lenet5" });
        Assert.True(code == 0, output);
        Assert.Contains("wrote", output);

        var (converted, metadata) = SafeTensors.Load(dir.File("lenet.safetensors"));
        var (reference, _) = SafeTensors.Load(dir.File("reference.safetensors"));
        try
        {
            Assert.Equal("lenet5", metadata["architecture"]);
            Assert.Equal(reference.Keys.OrderBy(k => k), converted.Keys.OrderBy(k => k));
            using var scope = Torch.NewDisposeScope();
            foreach (var (k, t) in reference) Assert.Equal(0, (converted[k] - t).Abs().Max().Item());
        }
        finally
        {
            foreach (var t in converted.Values.Concat(reference.Values)) t.Dispose();
        }
        using var target = ModelZoo.Create("lenet5", new ModelOptions { NumClasses = 10 });
        Assert.True(PretrainedWeights.Load(target, dir.File("lenet.safetensors")).BackboneComplete);
    }
}
