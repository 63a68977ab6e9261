using SharpVision.Data;

namespace SharpVision.Tests.Data;

public class CrossValidationFoldTests
{
    private static readonly int[] Labels =
        Enumerable.Repeat(0, 725).Concat(Enumerable.Repeat(1, 751)).Concat(Enumerable.Repeat(2, 33)).Concat(Enumerable.Repeat(3, 7)).ToArray();

    [Fact]
    public void Folds_AreDisjoint_CoverEveryImage_AndKeepClassShares()
    {
        var ds = new SyntheticDataset(Labels, 4);
        var seen = new List<int>();
        for (var k = 0; k < 10; k++)
        {
            var (train, val) = DatasetSplit.Fold(ds, new CrossValidationFold(k, 10), seed: 3);
            Assert.Empty(train.Indices.Intersect(val.Indices));
            Assert.Equal(ds.Count, train.Count + val.Count);
            var counts = val.ClassCounts();
            Assert.InRange(counts[0], 72, 73);
            Assert.InRange(counts[1], 75, 76);
            Assert.InRange(counts[2], 3, 4);
            seen.AddRange(val.Indices);
        }
        Assert.Equal(Enumerable.Range(0, ds.Count), seen.Order());
    }

    [Fact]
    public void FoldZeroOfTen_IsTheTenPercentSplit_ForEverySeed()
    {
        var ds = new SyntheticDataset(Labels, 4);
        foreach (var seed in new long[] { 0, 1, 42 })
        {
            var fold = DatasetSplit.Fold(ds, new CrossValidationFold(0, 10), seed);
            var split = DatasetSplit.Stratified(ds, 0.1, seed);
            Assert.Equal(split.Validation.Indices, fold.Validation.Indices);
            Assert.Equal(split.Train.Indices, fold.Train.Indices);
        }
        Assert.NotEqual(DatasetSplit.Fold(ds, new CrossValidationFold(1, 10), 0).Validation.Indices,
                        DatasetSplit.Fold(ds, new CrossValidationFold(1, 10), 1).Validation.Indices);
    }

    [Theory]
    [InlineData("2/10", 2, 10)]
    [InlineData(" 0 / 5 ", 0, 5)]
    public void Parse_ReadsKOfN(string text, int index, int count) =>
        Assert.Equal(new CrossValidationFold(index, count), CrossValidationFold.Parse(text));

    [Theory]
    [InlineData("10/10", "K must be below N")]
    [InlineData("0/1", "at least 2")]
    [InlineData("a/10", "expected K/N")]
    [InlineData("-1/10", "expected K/N")]
    [InlineData("3", "expected K/N")]
    public void Parse_RefusesBadFolds_NamingTheOption(string text, string why)
    {
        var e = Assert.Throws<ArgumentException>(() => CrossValidationFold.Parse(text, "--fold"));
        Assert.Contains("--fold", e.Message);
        Assert.Contains(why, e.Message);
    }

    [Fact]
    public void TooManyFolds_ForTheData_IsAClearError()
    {
        var ds = new SyntheticDataset(new[] { 0, 0, 1 }, 2);
        var e = Assert.Throws<ArgumentException>(() => DatasetSplit.Fold(ds, new CrossValidationFold(0, 10), 0));
        Assert.Contains("fewer folds", e.Message);
    }
}
