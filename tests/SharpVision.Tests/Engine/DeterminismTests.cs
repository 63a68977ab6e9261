using SharpVision.Engine;

namespace SharpVision.Tests.Engine;

/// <summary>Seeded generators, saved generator state, the global seed and the thread count.</summary>
[Collection(EngineGlobalStateCollection.Name)]
public class DeterminismTests
{
    [Fact]
    public void GeneratorsWithTheSameSeedDrawTheSameValues()
    {
        using var scope = Torch.NewDisposeScope();
        using var a = new Generator(5);
        using var b = new Generator(5);
        using var c = new Generator(6);
        var x = Tensor.Randn(new long[] { 16 }, a);
        Assert.True(x.Equal(Tensor.Randn(new long[] { 16 }, b)));
        Assert.False(x.Equal(Tensor.Randn(new long[] { 16 }, c)));
        Assert.True(Tensor.Randint(0, 100, new long[] { 8 }, a).Equal(Tensor.Randint(0, 100, new long[] { 8 }, b)));
        a.Seed(9);
        b.Seed(9);
        Assert.True(Tensor.Rand(new long[] { 8 }, a).Equal(Tensor.Rand(new long[] { 8 }, b)));
    }

    [Fact]
    public void GeneratorStateSaveAndRestoreResumesTheSequence()
    {
        using var scope = Torch.NewDisposeScope();
        using var g = new Generator(77);
        Tensor.Rand(new long[] { 3 }, g);
        var state = g.GetState();
        var expected = Tensor.Randn(new long[] { 10 }, g);
        var expectedPerm = Tensor.Randperm(20, g);
        Tensor.Rand(new long[] { 100 }, g); // move on
        g.SetState(state);
        Assert.True(Tensor.Randn(new long[] { 10 }, g).Equal(expected));
        Assert.True(Tensor.Randperm(20, g).Equal(expectedPerm));
        using var fresh = new Generator(1);
        fresh.SetState(state);
        Assert.True(Tensor.Randn(new long[] { 10 }, fresh).Equal(expected));
    }

    [Fact]
    public void ManualSeedMakesTwoTrainingRunsBitIdentical()
    {
        byte[][] Run()
        {
            Torch.ManualSeed(2024);
            using var scope = Torch.NewDisposeScope();
            using var net = new TinyConvNet(classes: 2, generator: null, dropout: 0.3); // default generator: init and dropout
            var (x, y) = StripesData.Make(64, seed: 3);
            for (var i = 0; i < 10; i++)
            {
                using var step = Torch.NewDisposeScope();
                net.TrainStep(x.Narrow(0, i % 2 * 32, 32), y.Narrow(0, i % 2 * 32, 32));
            }
            return net.Parameters.Select(p => p.ToBytes()).ToArray();
        }

        var first = Run();
        var second = Run();
        for (var i = 0; i < first.Length; i++) Assert.Equal(first[i], second[i]);
        Torch.ManualSeed(1);
        using var scope = Torch.NewDisposeScope();
        var a = Tensor.Rand(new long[] { 4 });
        Torch.ManualSeed(1);
        Assert.True(a.Equal(Tensor.Rand(new long[] { 4 })));
        using var defaultGenerator = Generator.Default;
        defaultGenerator.Seed(1);
        Assert.True(a.Equal(Tensor.Rand(new long[] { 4 })));
    }

    [Fact]
    public void ThreadCountDefaultsToAllCoresAndCanBeChanged()
    {
        var original = Torch.NumThreads;
        var expected = int.TryParse(Environment.GetEnvironmentVariable("SHARPVISION_THREADS"), out var t) && t > 0 ? t : Environment.ProcessorCount;
        Assert.Equal(expected, original);
        try
        {
            Torch.NumThreads = 1;
            Assert.Equal(1, Torch.NumThreads);
            using var x = Tensor.Ones(new long[] { 1000 });
            using var s = x.Sum();
            Assert.Equal(1000.0, s.Item());
            Assert.Throws<ArgumentOutOfRangeException>(() => Torch.NumThreads = 0);
        }
        finally
        {
            Torch.NumThreads = original;
        }
        Assert.Equal(original, Torch.NumThreads);
    }
}
