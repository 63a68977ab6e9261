using SharpVision.Onnx;
using SharpVision.Tests.Support;

namespace SharpVision.Tests.Onnx;

/// <summary>--threads reaches ONNX Runtime: the option wins, else $SHARPVISION_THREADS, else every core; 0 is refused.</summary>
[Collection("console")]
public sealed class OnnxThreadsTests
{
    [Fact]
    public void ThreadCountComesFromTheOptionThenTheEnvironment()
    {
        Assert.Equal(3, OnnxSession.ResolveThreads(3));
        var saved = Environment.GetEnvironmentVariable("SHARPVISION_THREADS");
        try
        {
            Environment.SetEnvironmentVariable("SHARPVISION_THREADS", "2");
            Assert.Equal(2, OnnxSession.ResolveThreads(null));
            Environment.SetEnvironmentVariable("SHARPVISION_THREADS", null);
            Assert.Equal(Environment.ProcessorCount, OnnxSession.ResolveThreads(null));
        }
        finally
        {
            Environment.SetEnvironmentVariable("SHARPVISION_THREADS", saved);
        }
    }

    [Fact]
    public void ZeroThreadsIsAOneLineError()
    {
        using var dir = new TempDirectory("sv-onnx-threads");
        var (_, onnx) = OnnxTestModels.SaveBoth(dir.Path, "lenet5", 28, 1, SyntheticImages.Classes);
        var photo = dir.File("p.png");
        SharpVision.Imaging.PngEncoder.Save(SyntheticImages.Make(0, 28, new Random(1)), photo);

        var (code, _, err) = ConsoleCapture.Run("predict", "--model", onnx, photo, "--threads", "0");

        Assert.Equal(2, code);
        Assert.Single(err.Trim().Split('\n'));
        Assert.Contains("--threads must be at least 1", err);
    }
}
