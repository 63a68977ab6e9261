using System.Text;
using SharpVision.Engine;
using SharpVision.Engine.IO;
using SharpVision.Models;
using SharpVision.Tests.Models;
using SharpVision.Tests.Support;
using SharpVision.Transfer.Pretrained;
using SharpVision.Transfer;

namespace SharpVision.Tests.Engine;

/// <summary>
/// PyTorch checkpoints read without Python: files that Debian's python3-torch wrote (zip and legacy containers,
/// float32 and float16, strided views, a DDP training checkpoint) and pickles that would run code, which must be refused.
/// </summary>
public class PyTorchCheckpointTests
{
    [InteropFact]
    public void ZipAndLegacyCheckpointsHoldExactlyTheSafetensorsReference()
    {
        var dir = InteropFixtures.Ensure();
        var (reference, _) = SafeTensors.Load(Path.Combine(dir, "resnet18.safetensors"));
        try
        {
            foreach (var file in new[] { "resnet18.pth", "resnet18.legacy.pth", "resnet18.ddp.pth" })
            {
                var loaded = PyTorchCheckpoint.Load(Path.Combine(dir, file));
                try
                {
                    Assert.Equal(reference.Keys.OrderBy(k => k, StringComparer.Ordinal), loaded.Keys.OrderBy(k => k, StringComparer.Ordinal));
                    foreach (var (name, expected) in reference)
                    {
                        Assert.Equal(expected.DType, loaded[name].DType);
                        Assert.Equal(expected.Shape, loaded[name].Shape);
                        Assert.True(SameValues(expected, loaded[name]), $"{file}: {name} differs");
                    }
                }
                finally
                {
                    foreach (var t in loaded.Values) t.Dispose();
                }
            }
        }
        finally
        {
            foreach (var t in reference.Values) t.Dispose();
        }
    }

    [InteropFact]
    public void Float16CheckpointKeepsItsTypeAndValues()
    {
        var dir = InteropFixtures.Ensure();
        var (reference, _) = SafeTensors.Load(Path.Combine(dir, "resnet18.safetensors"));
        var half = PyTorchCheckpoint.Load(Path.Combine(dir, "resnet18.half.pth"));
        try
        {
            using var scope = Torch.NewDisposeScope();
            var weight = half["conv1.weight"];
            Assert.Equal(DType.Float16, weight.DType);
            Assert.Equal(DType.Int64, half["bn1.num_batches_tracked"].DType);
            var expected = reference["conv1.weight"].To(DType.Float16);
            Assert.True(SameValues(expected, weight));
        }
        finally
        {
            foreach (var t in reference.Values.Concat(half.Values)) t.Dispose();
        }
    }

    [InteropFact]
    public void StridedViewsOfOneStorageComeOutAsPyTorchShowsThem()
    {
        var dir = InteropFixtures.Ensure();
        foreach (var file in new[] { "views.pth", "views.legacy.pth" })
        {
            var views = PyTorchCheckpoint.Load(Path.Combine(dir, file));
            try
            {
                var b = Enumerable.Range(0, 24).Select(i => (float)i).ToArray(); // arange(24).reshape(4, 6)
                Assert.Equal(b, views["base"].ToArray<float>());
                Assert.Equal(new long[] { 6, 4 }, views["transposed"].Shape);
                Assert.Equal(Enumerable.Range(0, 24).Select(i => b[(i % 4) * 6 + i / 4]), views["transposed"].ToArray<float>());
                Assert.Equal(new[] { 2f, 8f, 14f, 20f }, views["column"].ToArray<float>());
                Assert.Equal(new[] { 7f, 8f, 9f, 10f, 13f, 14f, 15f, 16f }, views["slice"].ToArray<float>());
            }
            finally
            {
                foreach (var t in views.Values) t.Dispose();
            }
        }
    }

    [InteropFact]
    public void TorchvisionResNet18PthLoadsAsPretrainedAndGivesPyTorchsLogits()
    {
        var dir = InteropFixtures.Ensure();
        using var model = ModelZoo.Create("resnet18", new ModelOptions { NumClasses = 10, InputHeight = 32, InputWidth = 32 });
        var report = PretrainedWeights.Load(model, Path.Combine(dir, "resnet18.pth"));
        Assert.Empty(report.Missing);
        Assert.Empty(report.Mismatched);
        var (io, _) = SafeTensors.Load(Path.Combine(dir, "resnet18.io.safetensors"));
        using var scope = Torch.NewDisposeScope();
        using var input = io["input"];
        using var expected = io["output"];
        model.Eval();
        using var noGrad = Torch.NoGrad();
        var maxDiff = (model.Forward(input) - expected).Abs().Max().ItemFloat();
        Assert.True(maxDiff < 1e-4, $"max |SharpVision - PyTorch| = {maxDiff}");
    }

    [InteropFact]
    public void APickleThatWouldRunAShellCommandIsRefusedAndNothingRuns()
    {
        var dir = InteropFixtures.Ensure();
        using var work = new TempDirectory();
        var before = Directory.GetCurrentDirectory();
        Directory.SetCurrentDirectory(work.Path);
        try
        {
            var e = Assert.Throws<UnsafePickleException>(() => PyTorchCheckpoint.Load(Path.Combine(dir, "evil.pth")));
            Assert.Contains("evil.pth", e.Message);
            Assert.Contains("posix.system", e.Message);
            Assert.DoesNotContain('\n', e.Message);
            Assert.False(File.Exists(Path.Combine(work.Path, "evil-pickle-ran")));
        }
        finally
        {
            Directory.SetCurrentDirectory(before);
        }
    }

    [InteropFact]
    public void ATruncatedCheckpointGivesOneLineNamingTheFile()
    {
        var dir = InteropFixtures.Ensure();
        using var work = new TempDirectory();
        foreach (var name in new[] { "resnet18.pth", "resnet18.legacy.pth" })
        {
            var bytes = File.ReadAllBytes(Path.Combine(dir, name));
            var cut = work.File("cut-" + name);
            File.WriteAllBytes(cut, bytes.AsSpan(0, bytes.Length / 2).ToArray());
            var e = Assert.Throws<InvalidDataException>(() => PyTorchCheckpoint.Load(cut));
            Assert.Contains(cut, e.Message);
            Assert.DoesNotContain('\n', e.Message);
        }
    }

    [Fact]
    public void HandWrittenPicklesCallingAnythingButTensorBuildersAreRefused()
    {
        using var work = new TempDirectory();
        // protocol 2: GLOBAL 'os system', ('echo',) REDUCE STOP — what pickle.dumps of an os.system reduce looks like.
        var evil = Pickle("\u0080\u0002cos\nsystem\nq\u0000X\u0004\u0000\u0000\u0000echoq\u0001\u0085q\u0002Rq\u0003.");
        File.WriteAllBytes(work.File("a.pt"), evil);
        var e = Assert.Throws<UnsafePickleException>(() => PyTorchCheckpoint.Load(work.File("a.pt")));
        Assert.Contains("'os.system'", e.Message);

        // INST and OBJ build arbitrary classes: refused as opcodes.
        File.WriteAllBytes(work.File("b.pt"), Pickle("\u0080\u0002(ibuiltins\nexec\n."));
        Assert.Throws<UnsafePickleException>(() => PyTorchCheckpoint.Load(work.File("b.pt")));

        // A pickle of a plain dict is not a PyTorch checkpoint.
        File.WriteAllBytes(work.File("c.pt"), Pickle("\u0080\u0002}q\u0000X\u0001\u0000\u0000\u0000aK\u0001s."));
        var none = Assert.Throws<InvalidDataException>(() => PyTorchCheckpoint.Load(work.File("c.pt")));
        Assert.Contains("not a PyTorch checkpoint", none.Message);
    }

    [Fact]
    public void ANonPyTorchFileIsNamedInTheError()
    {
        using var work = new TempDirectory();
        File.WriteAllText(work.File("notes.pth"), "hello");
        var e = Assert.Throws<InvalidDataException>(() => PyTorchCheckpoint.Load(work.File("notes.pth")));
        Assert.Contains("notes.pth", e.Message);
    }

    private static bool SameValues(Tensor expected, Tensor actual)
    {
        using var scope = Torch.NewDisposeScope();
        return expected.DType == actual.DType && expected.Shape.SequenceEqual(actual.Shape)
            && (expected.NumberOfElements == 0 || (expected.To(DType.Float64) - actual.To(DType.Float64)).Abs().Max().Item() == 0);
    }

    private static byte[] Pickle(string opcodes) => Encoding.Latin1.GetBytes(opcodes);
}
