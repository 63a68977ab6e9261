using SharpVision.Engine;
using SharpVision.Layers;
using SharpVision.Models;

namespace SharpVision.Bench.Engine;

/// <summary>
/// A model of the zoo as a benchmark net (training mode: batch statistics, dropout). MobileNetV2 at 160 px is the
/// transfer-learning workload of the café task: its expanded activations (batch 32: 75 MiB) are far above glibc's
/// mmap ceiling, which the hand-written nets' tensors are not.
/// </summary>
internal sealed class ZooNet : IBenchNet
{
    /// <summary>Input side of the MobileNetV2 configuration (the café photos upsampled for the pretrained backbone).</summary>
    public const int MobileNetV2Size = 160;

    private readonly Module module;

    public ZooNet(string architecture, int size, ulong seed, int classes = 5)
    {
        Torch.ManualSeed(seed);
        module = ModelZoo.Create(architecture, new ModelOptions { NumClasses = classes, InputHeight = size, InputWidth = size });
        module.Train();
        Trainable = module.Parameters().Where(p => p.RequiresGrad).Select(p => p.Value).ToArray();
        Name = $"{architecture}-{size}";
    }

    public string Name { get; }

    public IReadOnlyList<Tensor> Trainable { get; }

    public Tensor Forward(Tensor x) => module.Forward(x);

    public void Dispose() => module.Dispose();
}
