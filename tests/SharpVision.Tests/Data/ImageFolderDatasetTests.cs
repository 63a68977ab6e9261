using SharpVision.Data;
using SharpVision.Imaging;
using SharpVision.Tests.Support;
using static SharpVision.Tests.Imaging.ImageFixtures;

namespace SharpVision.Tests.Data;

public class ImageFolderDatasetTests
{
    private static void Write(string path, byte[] bytes)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
    }

    /// <summary>zebra (3 JPEGs), apple (2 PNG/JPEG), mango (2 JPEGs) plus broken and foreign files.</summary>
    private static TempDirectory MakeFolder(bool withBadFiles)
    {
        var dir = new TempDirectory();
        Write(Path.Combine(dir.Path, "zebra", "z1.jpg"), Jpeg(Solid(20, 10, 250, 250, 250)));
        Write(Path.Combine(dir.Path, "zebra", "z2.JPEG"), Jpeg(Solid(20, 10, 10, 10, 10)));
        Write(Path.Combine(dir.Path, "zebra", "nested", "z3.jpg"), Jpeg(Gradient(12, 12)));
        Write(Path.Combine(dir.Path, "apple", "a1.png"), PngEncoder.Encode(Solid(8, 8, 255, 0, 0)));
        Write(Path.Combine(dir.Path, "apple", "a2.jpg"), Jpeg(Solid(8, 8, 200, 0, 0)));
        Write(Path.Combine(dir.Path, "mango", "m1.jpg"), Jpeg(Solid(9, 9, 255, 200, 0)));
        Write(Path.Combine(dir.Path, "mango", "m2.jpg"), Jpeg(Gradient(64, 64)));
        if (withBadFiles)
        {
            Write(Path.Combine(dir.Path, "apple", "empty.jpg"), Array.Empty<byte>());
            Write(Path.Combine(dir.Path, "apple", "readme.jpg"), "just text\n"u8.ToArray());
            Write(Path.Combine(dir.Path, "apple", "anim.gif"), "GIF89a\x01\0\x01\0"u8.ToArray());
            Write(Path.Combine(dir.Path, "zebra", "fake.png"), "GIF89a\x01\0\x01\0"u8.ToArray());
            Write(Path.Combine(dir.Path, "zebra", "bomb.png"), PngHeaderOnly(50_000, 50_000));
            Write(Path.Combine(dir.Path, "mango", "notes.txt"), "x"u8.ToArray());
            // Header fine, scan data cut: only found when decoded.
            Write(Path.Combine(dir.Path, "mango", "m3-truncated.jpg"), Jpeg(Gradient(64, 64))[..^300]);
            Write(Path.Combine(dir.Path, "stray.jpg"), Jpeg(Gradient(8, 8)));
        }
        return dir;
    }

    [Fact]
    public void Open_SortsClassesAndFiles_AndLoadsImages()
    {
        using var dir = MakeFolder(withBadFiles: false);
        var ds = ImageFolderDataset.Open(dir.Path);
        Assert.Equal(new[] { "apple", "mango", "zebra" }, ds.ClassNames);
        Assert.Equal(7, ds.Count);
        Assert.Equal(new[] { 0, 0, 1, 1, 2, 2, 2 }, Enumerable.Range(0, 7).Select(ds.Label));
        Assert.EndsWith(Path.Combine("apple", "a1.png"), ds.Name(0));
        Assert.EndsWith(Path.Combine("zebra", "nested", "z3.jpg"), ds.Name(4));
        var img = ds.Load(0);
        Assert.Equal((8, 8, 3), (img.Width, img.Height, img.Channels));
        Assert.Equal((255, 0, 0), At(img, 3, 3));
        Assert.Equal(0, ds.Skipped.Count);
        Assert.Equal(new[] { 2, 2, 3 }, ds.ClassCounts());
    }

    [Fact]
    public void Open_ReportsEveryBadOrForeignFile_WithItsReason()
    {
        using var dir = MakeFolder(withBadFiles: true);
        var ds = ImageFolderDataset.Open(dir.Path);
        var reasons = ds.Skipped.Files.ToDictionary(f => Path.GetFileName(f.Path), f => f.Reason);
        Assert.Contains("empty file", reasons["empty.jpg"]);
        Assert.Contains("not an image (text?)", reasons["readme.jpg"]);
        Assert.Equal("unsupported format: .gif", reasons["anim.gif"]);
        Assert.Contains("unsupported format: GIF", reasons["fake.png"]);
        Assert.Contains("MaxPixels", reasons["bomb.png"]);
        Assert.Equal("unsupported format: .txt", reasons["notes.txt"]);
        Assert.Equal("not inside a class folder", reasons["stray.jpg"]);
        Assert.False(reasons.ContainsKey("m3-truncated.jpg")); // header is fine
        Assert.Equal(8, ds.Count); // 7 good + the truncated one

        // The loader finds the truncated file, drops it and reports it.
        var loader = new DataLoader(ds, new ImagePreprocessor(16, 16), new DataLoaderOptions { BatchSize = 8, Shuffle = false });
        var seen = 0;
        foreach (var batch in loader) using (batch) seen += batch.Count;
        Assert.Equal(7, seen);
        var truncated = Assert.Single(ds.Skipped.Files, f => f.Path.EndsWith("m3-truncated.jpg"));
        Assert.Equal(SkipStage.Load, truncated.Stage);
        Assert.Contains("truncated JPEG", truncated.Reason);

        var text = ds.Skipped.Format();
        Assert.StartsWith("8 files skipped", text);
        Assert.Contains("readme.jpg: not an image (text?)", text);
        var report = Path.Combine(dir.Path, "skipped.txt");
        ds.Skipped.WriteTo(report);
        Assert.Equal(text, File.ReadAllText(report));
    }

    [Fact]
    public void FullDecodeValidation_FindsTruncatedFilesAtOpen()
    {
        using var dir = MakeFolder(withBadFiles: true);
        var ds = ImageFolderDataset.Open(dir.Path, new ImageFolderOptions { Validation = HeaderValidation.FullDecode });
        Assert.Equal(7, ds.Count);
        Assert.Contains(ds.Skipped.Files, f => f.Path.EndsWith("m3-truncated.jpg") && f.Stage == SkipStage.Open);
    }

    [Fact]
    public void ClassSubset_KeepsTheGivenOrder()
    {
        using var dir = MakeFolder(withBadFiles: false);
        var ds = ImageFolderDataset.Open(dir.Path, new ImageFolderOptions { Classes = new[] { "zebra", "apple" } });
        Assert.Equal(new[] { "zebra", "apple" }, ds.ClassNames);
        Assert.Equal(5, ds.Count);
        Assert.Equal(new[] { 3, 2 }, ds.ClassCounts());
        var e = Assert.Throws<DatasetException>(() => ImageFolderDataset.Open(dir.Path, new ImageFolderOptions { Classes = new[] { "apple", "kiwi" } }));
        Assert.Contains("kiwi", e.Message);
    }

    [Fact]
    public void Errors_NameThePath()
    {
        using var dir = new TempDirectory();
        var missing = Path.Combine(dir.Path, "nope");
        Assert.Contains("not found", Assert.Throws<DatasetException>(() => ImageFolderDataset.Open(missing)).Message);

        Directory.CreateDirectory(Path.Combine(dir.Path, "one", "cats"));
        File.WriteAllBytes(Path.Combine(dir.Path, "one", "cats", "c.jpg"), Jpeg(Gradient(8, 8)));
        Assert.Contains("at least 2", Assert.Throws<DatasetException>(() => ImageFolderDataset.Open(Path.Combine(dir.Path, "one"))).Message);

        Directory.CreateDirectory(Path.Combine(dir.Path, "one", "dogs"));
        var empty = Assert.Throws<DatasetException>(() => ImageFolderDataset.Open(Path.Combine(dir.Path, "one")));
        Assert.Contains("dogs", empty.Path);
        Assert.Contains("empty", empty.Reason);

        File.WriteAllBytes(Path.Combine(dir.Path, "one", "dogs", "d.txt"), "x"u8.ToArray());
        File.Delete(Path.Combine(dir.Path, "one", "cats", "c.jpg"));
        File.WriteAllBytes(Path.Combine(dir.Path, "one", "cats", "c.bmp"), "x"u8.ToArray());
        Assert.Contains("no images", Assert.Throws<DatasetException>(() => ImageFolderDataset.Open(Path.Combine(dir.Path, "one"))).Message);

        File.WriteAllBytes(Path.Combine(dir.Path, "one", "dogs", "d.jpg"), Array.Empty<byte>());
        File.WriteAllBytes(Path.Combine(dir.Path, "one", "cats", "c.jpg"), Jpeg(Gradient(8, 8)));
        var unusable = Assert.Throws<DatasetException>(() => ImageFolderDataset.Open(Path.Combine(dir.Path, "one")));
        Assert.Contains("'dogs' has no usable images", unusable.Message);
        Assert.Contains("d.jpg: empty file", unusable.Message);
    }

    [Fact]
    public void Statistics_FormatPerClassCounts()
    {
        using var dir = MakeFolder(withBadFiles: true);
        var text = DatasetStatistics.Of(ImageFolderDataset.Open(dir.Path)).Format();
        Assert.Contains("apple: 2", text);
        Assert.Contains("mango: 3", text);
        Assert.Contains("zebra: 3", text);
        Assert.Contains("total: 8 images in 3 classes, 7 files skipped", text);
    }

    [SharedDataFact("datasets/food5-64-train")]
    public void SharedFood5_OpensWithoutSkips_AndLoadsABatch()
    {
        var ds = ImageFolderDataset.Open(TestPaths.Shared("datasets/food5-64-train"));
        Assert.Equal(5, ds.ClassNames.Count);
        Assert.Equal("cheesecake", ds.ClassNames[0]);
        Assert.InRange(ds.Count, 3700, 3800);
        Assert.Equal(0, ds.Skipped.Count);
        var loader = new DataLoader(ds, new ImagePreprocessor(64, 64), new DataLoaderOptions { BatchSize = 32, Seed = 1 });
        using var batch = loader.First();
        Assert.Equal(new long[] { 32, 3, 64, 64 }, batch.Inputs.Shape);
        Assert.Equal(new long[] { 32 }, batch.Labels.Shape);
        Assert.All(batch.Labels.ToArray<long>(), l => Assert.InRange(l, 0, 4));
    }
}
