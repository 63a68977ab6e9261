using SharpVision.Data;
using SharpVision.Tests.Support;
using static SharpVision.Tests.Imaging.ImageFixtures;

namespace SharpVision.Tests.Data;

public class Food101DatasetTests
{
    private static TempDirectory Make()
    {
        var dir = new TempDirectory();
        foreach (var (cls, ids) in new[] { ("apple_pie", new[] { "1", "2", "3" }), ("baklava", new[] { "4", "5" }), ("churros", new[] { "6", "7" }) })
        {
            Directory.CreateDirectory(Path.Combine(dir.Path, "images", cls));
            foreach (var id in ids) File.WriteAllBytes(Path.Combine(dir.Path, "images", cls, id + ".jpg"), Jpeg(Gradient(10, 10)));
        }
        Directory.CreateDirectory(Path.Combine(dir.Path, "meta"));
        File.WriteAllLines(Path.Combine(dir.Path, "meta", "classes.txt"), new[] { "apple_pie", "baklava", "churros" });
        File.WriteAllLines(Path.Combine(dir.Path, "meta", "train.txt"), new[] { "apple_pie/1", "apple_pie/2", "baklava/4", "churros/6", "churros/99" });
        File.WriteAllLines(Path.Combine(dir.Path, "meta", "test.txt"), new[] { "apple_pie/3", "baklava/5", "churros/7" });
        return dir;
    }

    [Fact]
    public void Open_ReadsTheSplit_AndReportsMissingListedImages()
    {
        using var dir = Make();
        var train = Food101Dataset.Open(dir.Path, "train");
        Assert.Equal(new[] { "apple_pie", "baklava", "churros" }, train.ClassNames);
        Assert.Equal(4, train.Count);
        Assert.Equal(new[] { 0, 0, 1, 2 }, Enumerable.Range(0, 4).Select(train.Label));
        var missing = Assert.Single(train.Skipped.Files);
        Assert.EndsWith("99.jpg", missing.Path);
        Assert.Contains("missing", missing.Reason);
        Assert.Equal(10, train.Load(0).Width);

        var test = Food101Dataset.Open(dir.Path, "test", new[] { "churros", "apple_pie" });
        Assert.Equal(new[] { "churros", "apple_pie" }, test.ClassNames);
        Assert.Equal(2, test.Count);
    }

    [Fact]
    public void MissingOrMalformedMeta_IsAClearError()
    {
        using var dir = Make();
        File.Delete(Path.Combine(dir.Path, "meta", "test.txt"));
        var e = Assert.Throws<DatasetException>(() => Food101Dataset.Open(dir.Path, "test"));
        Assert.EndsWith("test.txt", e.Path);
        Assert.Contains("not found", e.Reason);

        File.WriteAllLines(Path.Combine(dir.Path, "meta", "train.txt"), new[] { "apple_pie/1", "garbage" });
        Assert.Contains("line 2", Assert.Throws<DatasetException>(() => Food101Dataset.Open(dir.Path)).Message);
        Assert.Contains("unknown class 'pizza'", Assert.Throws<DatasetException>(() => Food101Dataset.Open(dir.Path, "train", new[] { "pizza", "baklava" })).Message);
        Assert.Throws<ArgumentException>(() => Food101Dataset.Open(dir.Path, "val"));
    }
}
