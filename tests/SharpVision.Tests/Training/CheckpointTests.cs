using SharpVision.Engine;
using SharpVision.Engine.IO;
using SharpVision.Tests.Support;
using SharpVision.Training;

namespace SharpVision.Tests.Training;

public class CheckpointTests
{
    private static Dictionary<string, Tensor> Weights(float v) => new()
    {
        ["w"] = Tensor.Full(new long[] { 2, 3 }, v).DetachFromDisposeScope(),
    };

    private static void Save(string path, float v, int epochs)
    {
        var w = Weights(v);
        TrainingCheckpoint.Save(path, w, new Dictionary<string, Tensor>(), new Dictionary<string, Tensor>(), new TrainerState { EpochsCompleted = epochs });
        foreach (var t in w.Values) t.Dispose();
    }

    [Fact]
    public void LatestCheckpointIsReadAndThePreviousIsKept()
    {
        using var tmp = new TempDirectory();
        var path = tmp.File("last.checkpoint");
        Save(path, 1, 1);
        Save(path, 2, 2);
        using var loaded = TrainingCheckpoint.LoadLatest(path, out var warning);
        Assert.Null(warning);
        Assert.Equal(2, loaded!.State.EpochsCompleted);
        Assert.Equal(2f, loaded.Model["w"].ToArray<float>()[0]);
        Assert.True(File.Exists(TrainingCheckpoint.PreviousPath(path)));
    }

    [Fact]
    public void CorruptLatestCheckpointFallsBackToThePreviousWithAClearWarning()
    {
        using var tmp = new TempDirectory();
        var path = tmp.File("last.checkpoint");
        Save(path, 1, 1);
        Save(path, 2, 2);
        var bytes = File.ReadAllBytes(path);
        bytes[^3] ^= 0xFF; // flip a bit in the weights
        File.WriteAllBytes(path, bytes);
        using var loaded = TrainingCheckpoint.LoadLatest(path, out var warning);
        Assert.NotNull(warning);
        Assert.Contains("corrupt", warning);
        Assert.Equal(1, loaded!.State.EpochsCompleted);
        var e = Assert.Throws<InvalidDataException>(() => TrainingCheckpoint.Load(path));
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void TruncatedCheckpointWithoutPreviousGivesAClearError()
    {
        using var tmp = new TempDirectory();
        var path = tmp.File("last.checkpoint");
        Save(path, 1, 1);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var e = Assert.Throws<InvalidDataException>(() => TrainingCheckpoint.LoadLatest(path, out _));
        Assert.Contains("last.checkpoint", e.Message);
    }

    [Fact]
    public void AFailingWriteLeavesTheOldFileIntact()
    {
        using var tmp = new TempDirectory();
        var path = tmp.File("model.safetensors");
        AtomicFile.WriteAllText(path, "good");
        Assert.Throws<IOException>(() => AtomicFile.Write(path, s =>
        {
            s.Write(new byte[] { 1, 2, 3 });
            throw new IOException("disk full (simulated)");
        }));
        Assert.Equal("good", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(tmp.Path)); // no temp file left behind
    }

    [Fact]
    public void MissingLatestAfterAnInterruptedRotationFallsBackToPrevious()
    {
        using var tmp = new TempDirectory();
        var path = tmp.File("last.checkpoint");
        Save(path, 1, 1);
        File.Move(path, TrainingCheckpoint.PreviousPath(path)); // killed between the two renames
        using var loaded = TrainingCheckpoint.LoadLatest(path, out var warning);
        Assert.NotNull(warning);
        Assert.Equal(1, loaded!.State.EpochsCompleted);
    }
}
