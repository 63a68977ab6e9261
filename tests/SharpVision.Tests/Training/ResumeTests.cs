using SharpVision.Engine;
using SharpVision.Engine.IO;
using SharpVision.Tests.Support;
using SharpVision.Training;

namespace SharpVision.Tests.Training;

[Collection("Serial")]
public class ResumeTests
{
    private static string[] TrainArgs(string data, string run, int epochs) => new[]
    {
        "train", "--data", data, "--model", "fashion-cnn", "--input", "16", "--epochs", epochs.ToString(), "--batch", "8",
        "--lr", "0.002", "--augment", "flip=h,rotate=10", "--schedule", "cosine:warmup=1", "--dropout", "0.3",
        "--seed", "7", "--threads", "1", "--out", run, "--no-progress",
    };

    [Fact]
    public void KilledRunResumesToTheSameFinalWeightsAsAnUninterruptedRun()
    {
        using var tmp = new TempDirectory();
        var data = SyntheticImages.CreateFolder(tmp.File("data"), perClass: 40, size: 16, seed: 3);
        const int epochs = 4;

        var straight = tmp.File("straight");
        using (var p = CliProcess.Start(TrainArgs(data, straight, epochs)))
        {
            Assert.True(p.WaitForExit(TimeSpan.FromSeconds(180)), "uninterrupted run timed out");
            Assert.True(p.ExitCode == 0, p.Output);
        }

        // Kill (SIGKILL) a second run as soon as its first checkpoint exists, i.e. somewhere in epoch 2.
        var killed = tmp.File("killed");
        var checkpoint = Path.Combine(killed, "last.checkpoint");
        using (var p = CliProcess.Start(TrainArgs(data, killed, epochs)))
        {
            var deadline = DateTime.UtcNow.AddSeconds(120);
            while (!File.Exists(checkpoint) && DateTime.UtcNow < deadline && !p.HasExited) Thread.Sleep(5);
            Assert.True(File.Exists(checkpoint), "no checkpoint appeared: " + p.Output);
            p.Kill();
        }
        Assert.False(File.Exists(Path.Combine(killed, "model.safetensors")), "the run finished before it could be killed");

        using (var p = CliProcess.Start(TrainArgs(data, killed, epochs).Append("--resume")))
        {
            Assert.True(p.WaitForExit(TimeSpan.FromSeconds(180)), "resumed run timed out");
            Assert.True(p.ExitCode == 0, p.Output);
            Assert.Contains("Resumed from", p.Stdout);
        }

        var (a, _) = SafeTensors.Load(Path.Combine(straight, "model.safetensors"));
        var (b, _) = SafeTensors.Load(Path.Combine(killed, "model.safetensors"));
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        foreach (var (name, t) in a)
        {
            Assert.True(t.Equal(b[name]), $"{name} differs after resume");
        }
        Assert.Equal(File.ReadAllText(Path.Combine(straight, "history.csv")).Split('\n').Length,
            File.ReadAllText(Path.Combine(killed, "history.csv")).Split('\n').Length);
        foreach (var t in a.Values.Concat(b.Values)) t.Dispose();
    }
}
