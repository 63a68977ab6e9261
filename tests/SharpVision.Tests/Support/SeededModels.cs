using SharpVision.Engine;
using SharpVision.Layers;
using SharpVision.Models;

namespace SharpVision.Tests.Support;

/// <summary>
/// Zoo models whose initial weights come from a private generator (<see cref="Init.UseGenerator"/>): the weights
/// <see cref="Torch.ManualSeed"/>(seed) would give, whatever tests running in parallel draw from libtorch's
/// process-wide generator meanwhile. Seeded fixtures build their models here.
/// </summary>
internal static class SeededModels
{
    public static Module Create(string name, ModelOptions options, ulong seed)
    {
        using var generator = new Generator(seed);
        using (Init.UseGenerator(generator)) return ModelZoo.Create(name, options);
    }
}
