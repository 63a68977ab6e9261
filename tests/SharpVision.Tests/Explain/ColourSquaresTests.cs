using SharpVision.Engine;
using SharpVision.Models;

namespace SharpVision.Tests.Explain;

/// <summary>
/// The fixture model's private-generator initialisation is the zoo's own: in the serial collection, where nothing else
/// draws from libtorch's process-wide generator, <see cref="Torch.ManualSeed"/> + <see cref="ModelZoo.Create"/> gives
/// the same weights, so the fixture's tests keep the model they were written against.
/// </summary>
[Collection("Serial")]
public sealed class ColourSquaresTests
{
    [Fact]
    public void PrivateInitialisationEqualsTheSeededZoo()
    {
        var descriptor = ColourSquares.Descriptor(ColourSquares.Classes);
        Torch.ManualSeed(1);
        using var zoo = ModelZoo.Create(descriptor.Architecture, descriptor.Options);
        using var mine = ModelZoo.Create(descriptor.Architecture, descriptor.Options);
        ColourSquares.InitialiseFrom(mine, 1);
        var theirs = zoo.NamedParameters().ToList();
        var ours = mine.NamedParameters().ToList();
        Assert.Equal(theirs.Select(p => p.Name), ours.Select(p => p.Name));
        for (var i = 0; i < theirs.Count; i++)
            Assert.Equal(theirs[i].Parameter.Value.ToArray<float>(), ours[i].Parameter.Value.ToArray<float>());
    }
}
