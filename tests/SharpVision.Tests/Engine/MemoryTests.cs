using SharpVision.Engine;

namespace SharpVision.Tests.Engine;

/// <summary>Long training loops neither leak native tensors nor grow the process.</summary>
[Collection(EngineGlobalStateCollection.Name)]
public class MemoryTests
{
    [Fact]
    public void FiveHundredTrainingStepsReturnToTheLiveTensorBaselineWithoutRssGrowth()
    {
        // Tensors leaked by other tests are finalized now, not in the middle of the measurement.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var baseline = Torch.LiveTensors;
        long rssAt100 = 0, rssAt500 = 0;
        using (var g = new Generator(3))
        using (var net = new TinyConvNet(classes: 2, g))
        {
            var (x, y) = StripesData.Make(64, seed: 4);
            using (x)
            using (y)
            {
                var during = Torch.LiveTensors;
                for (var step = 1; step <= 500; step++)
                {
                    using (Torch.NewDisposeScope())
                    {
                        net.TrainStep(x.Narrow(0, step % 4 * 16, 16), y.Narrow(0, step % 4 * 16, 16));
                    }
                    Assert.Equal(during, Torch.LiveTensors);
                    if (step == 100) rssAt100 = ResidentBytes();
                }
                rssAt500 = ResidentBytes();
            }
        }
        Assert.Equal(baseline, Torch.LiveTensors);
        var growth = rssAt500 - rssAt100;
        Assert.True(growth < 20L << 20, $"RSS grew by {growth / (1 << 20)} MiB between step 100 and 500");
    }

    private static long ResidentBytes()
    {
        // /proc/self/statm: size resident shared ... in pages.
        var fields = File.ReadAllText("/proc/self/statm").Split(' ');
        return long.Parse(fields[1]) * Environment.SystemPageSize;
    }
}
