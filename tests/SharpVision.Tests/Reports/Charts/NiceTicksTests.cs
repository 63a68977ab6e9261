using SharpVision.Reports.Charts;

namespace SharpVision.Tests.Reports.Charts;

public class NiceTicksTests
{
    [Theory]
    [InlineData(0, 1, 6, 0, 1, 0.2)]
    [InlineData(3, 97, 6, 0, 100, 20)]
    [InlineData(0.13, 0.87, 6, 0.1, 0.9, 0.1)]
    [InlineData(1, 30, 6, 0, 30, 5)]
    [InlineData(-2.3, 4.1, 5, -4, 6, 2)]
    public void CoversRangeWithNiceSteps(double min, double max, int target, double lo, double hi, double step)
    {
        var t = NiceTicks.Compute(min, max, target);
        Assert.Equal(lo, t.Min, 9);
        Assert.Equal(hi, t.Max, 9);
        Assert.Equal(step, t.Step, 9);
        Assert.Equal(t.Values.Count, (int)Math.Round((hi - lo) / step) + 1);
    }

    [Fact]
    public void FormatsWithTheNeededDecimals()
    {
        Assert.Equal("0.25", NiceTicks.Compute(0, 1, 5).Format(0.25));
        Assert.Equal("20", NiceTicks.Compute(0, 100).Format(20));
        var flat = NiceTicks.Compute(0.5, 0.5);
        Assert.True(flat.Min < 0.5 && flat.Max > 0.5);
        Assert.Equal(1, NiceTicks.Compute(1, 3, 10, integerOnly: true).Step);
        Assert.Throws<ArgumentException>(() => NiceTicks.Compute(double.NaN, 1));
    }
}
