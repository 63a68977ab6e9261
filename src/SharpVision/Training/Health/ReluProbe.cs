using SharpVision.Engine;
using SharpVision.Layers;

namespace SharpVision.Training.Health;

/// <summary>The share of each ReLU layer's units that never fire (output ≤ 0 for every image and position) on a probe batch.</summary>
public static class ReluProbe
{
    /// <summary>One ReLU layer's measurement.</summary>
    /// <param name="Path">The module's path in the model.</param>
    /// <param name="Label">A readable label ("0 (conv 32@7×7 + ReLU)").</param>
    /// <param name="Units">Units (channels of a conv output, features of a dense one).</param>
    /// <param name="Dead">Units that never fired.</param>
    public sealed record Layer(string Path, string Label, int Units, int Dead)
    {
        /// <summary>Dead / units.</summary>
        public double DeadShare => Units == 0 ? 0 : (double)Dead / Units;
    }

    /// <summary>Runs <paramref name="probe"/> through <paramref name="model"/> in evaluation mode and measures every ReLU output.</summary>
    public static IReadOnlyList<Layer> Measure(Module model, Tensor probe)
    {
        var results = new List<Layer>();
        var hooks = new List<IDisposable>();
        var modes = model.NamedModules().Select(m => (m.Module, m.Module.Training)).ToList();
        try
        {
            foreach (var (path, module) in model.NamedModules())
            {
                if (Describe(module) is not { } label) continue;
                var p = path.Length == 0 ? "model" : path;
                hooks.Add(module.RegisterForwardHook((_, output) => results.Add(Count(p, $"{p} ({label})", output))));
            }
            if (hooks.Count == 0) return results;
            model.Eval();
            using var noGrad = Torch.NoGrad();
            using var scope = Torch.NewDisposeScope();
            model.Call(probe);
        }
        finally
        {
            foreach (var h in hooks) h.Dispose();
            foreach (var (m, training) in modes) m.SetTrainingFlag(training);
        }
        return results;
    }

    private static Layer Count(string path, string label, Tensor output)
    {
        using var scope = Torch.NewDisposeScope();
        // Units are dimension 1 (channels or features); a unit fires if any image / position is positive.
        var perUnit = output.Dim > 2 ? output.Transpose(0, 1).Flatten(1) : output.Dim == 2 ? output.T() : output.Unsqueeze(0);
        var (max, _) = perUnit.Max(1);
        var units = (int)max.NumberOfElements;
        var dead = (int)max.Le(0).To(DType.Int64).Sum().ItemLong();
        return new Layer(path, label, units, dead);
    }

    private static string? Describe(Module m) => m switch
    {
        ReLU => "ReLU",
        ReLU6 => "ReLU6",
        Conv2d { Activation: Activation.Relu or Activation.Relu6 } c => $"conv {c.OutChannels}@{c.KernelSize.H}×{c.KernelSize.W} + ReLU",
        Linear { Activation: Activation.Relu or Activation.Relu6 } l => $"dense {l.OutFeatures} + ReLU",
        _ => null,
    };
}
