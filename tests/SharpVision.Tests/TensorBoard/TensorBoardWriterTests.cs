using System.Buffers.Binary;
using System.Text;
using System.Text.RegularExpressions;
using SharpVision.Imaging;
using SharpVision.Reports.TensorBoard;
using SharpVision.Tests.Support;

namespace SharpVision.Tests.TensorBoard;

public class TensorBoardWriterTests
{
    private static RgbImage Checker(int w, int h, int channels = 3)
    {
        var px = new byte[w * h * channels];
        for (var i = 0; i < px.Length; i++) px[i] = (byte)(i * 37 % 251);
        return new RgbImage(w, h, channels, px);
    }

    [Fact]
    public void FileNameFollowsTheTensorBoardPattern()
    {
        using var dir = new TempDirectory();
        string path;
        using (var writer = new TensorBoardWriter(dir.File("run1"))) path = writer.FilePath;
        var name = Path.GetFileName(path);
        var match = Regex.Match(name, @"^events\.out\.tfevents\.(\d+)\.(.+)\.(\d+)\.sharpvision$");
        Assert.True(match.Success, name);
        Assert.InRange(long.Parse(match.Groups[1].Value), DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        Assert.Equal(Environment.ProcessId.ToString(), match.Groups[3].Value);
        Assert.Equal(Path.GetFullPath(dir.File("run1")), Path.GetDirectoryName(path));
    }

    [Fact]
    public void FirstRecordIsTheFileVersionEventByteForByte()
    {
        using var dir = new TempDirectory();
        string path;
        using (var writer = new TensorBoardWriter(dir.Path)) path = writer.FilePath;
        var bytes = File.ReadAllBytes(path);
        // Decode the framing by hand, independently of TfRecordReader.
        var length = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(bytes.Length, length + 16);
        Assert.Equal(Crc32C.Mask(Crc32C.Compute(bytes.AsSpan(0, 8))), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8)));
        var data = bytes.AsSpan(12, length);
        Assert.Equal(Crc32C.Mask(Crc32C.Compute(data)), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(12 + length)));
        // Event { wall_time (field 1, fixed64) = now, file_version (field 3, string) = "brain.Event:2" }.
        Assert.Equal(0x09, data[0]);
        var wallTime = BinaryPrimitives.ReadDoubleLittleEndian(data[1..9]);
        Assert.InRange(wallTime, DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1);
        Assert.Equal(new byte[] { 0x1A, 13 }.Concat(Encoding.ASCII.GetBytes("brain.Event:2")).ToArray(), data[9..].ToArray());
    }

    [Fact]
    public void ScalarsImagesAndTextReadBack()
    {
        using var dir = new TempDirectory();
        var image = Checker(7, 5);
        var grey = Checker(4, 3, 1);
        string path;
        using (var writer = new TensorBoardWriter(dir.Path))
        {
            path = writer.FilePath;
            for (var step = 0; step < 5; step++)
            {
                writer.AddScalar("loss/train", 1.0 / (step + 1), step, wallTime: 1000 + step);
                writer.AddScalar("accuracy/val", 0.5 + step * 0.1, step);
            }
            writer.AddImage("samples/augmented", image, 7);
            writer.AddImage("samples/grey", grey, 8);
            writer.AddText("config", "lr = 0.01 — *adam*", 0);
            writer.AddScalar("nan", double.NaN, -1);
        }

        var events = EventFileReader.ReadAll(path);
        Assert.Equal(1 + 10 + 2 + 1 + 1, events.Count);
        Assert.Equal(TensorBoardWriter.FileVersion, events[0].FileVersion);
        Assert.Empty(events[0].Values);
        Assert.All(events.Skip(1), e => Assert.Single(e.Values));
        events = events.Skip(1).ToList();

        var losses = events.Where(e => e.Values[0].Tag == "loss/train").ToList();
        Assert.Equal(new long[] { 0, 1, 2, 3, 4 }, losses.Select(e => e.Step));
        Assert.Equal(Enumerable.Range(0, 5).Select(s => (float)(1.0 / (s + 1))), losses.Select(e => e.Values[0].SimpleValue!.Value));
        Assert.Equal(new double[] { 1000, 1001, 1002, 1003, 1004 }, losses.Select(e => e.WallTime));
        var accuracies = events.Where(e => e.Values[0].Tag == "accuracy/val").Select(e => e.Values[0].SimpleValue).ToList();
        Assert.Equal(Enumerable.Range(0, 5).Select(s => (float?)(float)(0.5 + s * 0.1)), accuracies);

        var img = events.Single(e => e.Values[0].Tag == "samples/augmented");
        Assert.Equal(7, img.Step);
        Assert.Equal((5, 7, 3), (img.Values[0].Image!.Height, img.Values[0].Image!.Width, img.Values[0].Image!.Colorspace));
        Assert.Equal(PngEncoder.Encode(image), img.Values[0].Image!.EncodedImage);
        var greyEvent = events.Single(e => e.Values[0].Tag == "samples/grey").Values[0].Image!;
        Assert.Equal((3, 4, 1), (greyEvent.Height, greyEvent.Width, greyEvent.Colorspace));

        var text = events.Single(e => e.Values[0].Tag == "config").Values[0];
        Assert.Equal("lr = 0.01 — *adam*", text.Text);
        Assert.Equal("text", text.PluginName);
        Assert.Null(text.SimpleValue);

        var nan = events.Last();
        Assert.Equal(-1, nan.Step);
        Assert.True(float.IsNaN(nan.Values[0].SimpleValue!.Value));
    }

    [Fact]
    public void RecordsAreOnDiskBeforeFlushOrDispose()
    {
        using var dir = new TempDirectory();
        using var writer = new TensorBoardWriter(dir.Path);
        writer.AddScalar("x", 3, 1);
        // Another reader sees whole records while the writer is still open (as TensorBoard does while training runs).
        var events = EventFileReader.ReadAll(writer.FilePath);
        Assert.Equal(2, events.Count);
        Assert.Equal(3f, events[1].Values[0].SimpleValue);
        writer.AddScalar("x", 4, 2);
        writer.Flush();
        Assert.Equal(3, EventFileReader.ReadAll(writer.FilePath).Count);
    }

    [Fact]
    public void TwoWritersInOneDirectoryGetSeparateFiles()
    {
        using var dir = new TempDirectory();
        using var a = new TensorBoardWriter(dir.Path);
        using var b = new TensorBoardWriter(dir.Path);
        Assert.NotEqual(a.FilePath, b.FilePath);
        Assert.EndsWith(".sharpvision", b.FilePath);
        Assert.Equal(2, Directory.GetFiles(dir.Path, "events.out.tfevents.*").Length);
    }

    [Fact]
    public void DisposedWriterRefusesWritesAndBadTagsAreRejected()
    {
        using var dir = new TempDirectory();
        var writer = new TensorBoardWriter(dir.Path);
        Assert.Throws<ArgumentException>(() => writer.AddScalar(" ", 1, 0));
        writer.Dispose();
        writer.Dispose();
        Assert.Throws<ObjectDisposedException>(() => writer.AddScalar("x", 1, 0));
        Assert.Throws<ArgumentException>(() => new TensorBoardWriter(""));
    }
}
