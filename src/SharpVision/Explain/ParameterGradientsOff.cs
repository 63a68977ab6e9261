using SharpVision.Layers;

namespace SharpVision.Explain;

/// <summary>
/// Turns off gradients of a model's parameters while an explanation backpropagates to activations or the input, so no
/// parameter gradient is computed or accumulated; restores the previous flags (existing gradients are kept) on dispose.
/// </summary>
internal sealed class ParameterGradientsOff : IDisposable
{
    private readonly List<Parameter> changed = new();

    public ParameterGradientsOff(Module model)
    {
        foreach (var p in model.Parameters())
        {
            if (!p.Value.RequiresGrad) continue;
            // The tensor's flag, not Parameter.RequiresGrad: that setter would also drop an existing gradient.
            p.Value.RequiresGrad = false;
            changed.Add(p);
        }
    }

    public void Dispose()
    {
        foreach (var p in changed) p.Value.RequiresGrad = true;
        changed.Clear();
    }
}
