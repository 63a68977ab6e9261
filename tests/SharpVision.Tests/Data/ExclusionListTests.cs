using SharpVision.Data;
using SharpVision.Tests.Support;

namespace SharpVision.Tests.Data;

public class ExclusionListTests
{
    [Fact]
    public void ListedTrainingImagesGoAndEverythingElseStays()
    {
        using var dir = new TempDirectory();
        var ds = SyntheticDataset.Balanced(perClass: 5, classes: 2);
        var (train, validation) = DatasetSplit.Stratified(ds, 0.2, seed: 1);
        var trainName = ds.Name(train.Indices[0]);
        var validationName = ds.Name(validation.Indices[0]);
        var path = dir.File("exclude.txt");
        File.WriteAllLines(path, new[] { "# reviewed", "", "  " + trainName + "  ", validationName, Path.GetFullPath(trainName), "/elsewhere/x.jpg" });

        var list = ExclusionList.Load(path);
        Assert.Equal(3, list.Count); // the same file twice (relative and full) counts once
        var (kept, removed) = list.Apply(train);
        Assert.Equal(1, removed);
        Assert.Equal(train.Count - 1, kept.Count);
        Assert.DoesNotContain(trainName, Enumerable.Range(0, kept.Count).Select(kept.Name));
        // A listed file outside the subset (the validation image, another folder) changes nothing there.
        Assert.True(list.Contains(validationName));
        var (unchanged, none) = list.Apply(new SubsetDataset(ds, train.Indices.Skip(1).ToArray()));
        Assert.Equal(0, none);
        Assert.Equal(train.Count - 1, unchanged.Count);

        File.WriteAllLines(path, new[] { trainName });
        Assert.NotEqual(list.Fingerprint, ExclusionList.Load(path).Fingerprint);
        var missing = Assert.Throws<FileNotFoundException>(() => ExclusionList.Load(dir.File("nope.txt")));
        Assert.Contains("nope.txt", missing.Message);
    }
}
