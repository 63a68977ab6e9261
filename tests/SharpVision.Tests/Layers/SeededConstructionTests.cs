using SharpVision.Engine;
using SharpVision.Layers;
using SharpVision.Models;

namespace SharpVision.Tests.Layers;

/// <summary>Seed-determinism tests use libtorch's global generator, so they run outside the parallel test batch.</summary>
[Collection(LiveTensorCollection.Name)]
public class SeededConstructionTests
{
    [Fact]
    public void ConstructionIsDeterministicGivenTheSeed()
    {
        using var a = ModuleTests.SmallNet();
        using var b = ModuleTests.SmallNet();
        foreach (var ((_, pa), (_, pb)) in a.NamedParameters().Zip(b.NamedParameters()))
            Assert.True(pa.Value.Equal(pb.Value));
    }

    [Fact]
    public void ConstructionIsDeterministicAfterManualSeed()
    {
        Torch.ManualSeed(21);
        using var a = ModelZoo.Create("mobilenet_v2", new ModelOptions { NumClasses = 3 });
        Torch.ManualSeed(21);
        using var b = ModelZoo.Create("mobilenet_v2", new ModelOptions { NumClasses = 3 });
        foreach (var ((na, pa), (nb, pb)) in a.NamedParameters().Zip(b.NamedParameters()))
        {
            Assert.Equal(na, nb);
            Assert.True(pa.Value.Equal(pb.Value), na);
        }
    }
}

/// <summary><see cref="Init.UseGenerator"/>: seeded construction that other threads' draws cannot change.</summary>
[Collection(LiveTensorCollection.Name)]
public class PrivateGeneratorConstructionTests
{
    private static Module Build(string name, ulong seed)
    {
        using var g = new Generator(seed);
        using (Init.UseGenerator(g)) return Create(name);
    }

    private static Module Create(string name) =>
        ModelZoo.Create(name, new ModelOptions { NumClasses = 3, InputHeight = name == "inception_v3" ? 75 : 32, InputWidth = name == "inception_v3" ? 75 : 32 });

    private static void AssertSameWeights(Module a, Module b)
    {
        foreach (var ((na, pa), (nb, pb)) in a.NamedParameters().Zip(b.NamedParameters()))
        {
            Assert.Equal(na, nb);
            Assert.True(pa.Value.Equal(pb.Value), na);
        }
    }

    [Theory]
    [InlineData("mobilenet_v2")] // Kaiming normal, constants
    [InlineData("lenet5")] // PyTorch's default, then Keras's Glorot uniform
    [InlineData("inception_v3")] // truncated normal
    public void APrivateGeneratorGivesTheWeightsOfManualSeed(string name)
    {
        Torch.ManualSeed(21);
        using var global = Create(name);
        using var own = Build(name, 21);
        AssertSameWeights(global, own);
    }

    [Fact]
    public async Task DrawsOnAnotherThreadDoNotChangeAModelBuiltWithAPrivateGenerator()
    {
        using var quiet = Build("mobilenet_v2", 5);
        using var stop = new CancellationTokenSource();
        var draws = 0;
        var noise = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var t = Tensor.Rand(new long[] { 64 });
                Interlocked.Increment(ref draws);
            }
        });
        SpinWait.SpinUntil(() => Volatile.Read(ref draws) > 0);
        using var busy = Build("mobilenet_v2", 5);
        stop.Cancel();
        await noise;
        Assert.True(draws > 1, "the other thread drew while the model was built");
        AssertSameWeights(quiet, busy);
    }

    [Fact]
    public void ScopesNestAndEndWithDispose()
    {
        using var g1 = new Generator(1);
        using var g2 = new Generator(2);
        Module inner, outer;
        using (Init.UseGenerator(g1))
        {
            using (Init.UseGenerator(g2)) inner = Create("lenet5");
            outer = Create("lenet5"); // g1's first draws: g2's scope has ended
        }
        using (inner)
        using (outer)
        using (var fresh2 = Build("lenet5", 2))
        using (var fresh1 = Build("lenet5", 1))
        {
            AssertSameWeights(fresh2, inner);
            AssertSameWeights(fresh1, outer);
        }
        Torch.ManualSeed(9); // and after the scopes the process-wide generator is back
        using var a = Create("lenet5");
        Torch.ManualSeed(9);
        using var b = Create("lenet5");
        AssertSameWeights(a, b);
        using var c = Build("lenet5", 9);
        AssertSameWeights(a, c);
    }
}
