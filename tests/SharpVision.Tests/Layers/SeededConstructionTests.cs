using SharpVision.Engine;
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
