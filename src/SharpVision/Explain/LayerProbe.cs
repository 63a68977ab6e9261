using SharpVision.Engine;
using SharpVision.Layers;

namespace SharpVision.Explain;

/// <summary>
/// Captures a layer's output during a forward pass with <see cref="Module.RegisterForwardHook"/>. The captured tensor
/// is an alias registered in the caller's dispose scope (modules open no scopes of their own), so it survives until
/// that scope ends, with its autograd graph intact.
/// </summary>
public static class LayerProbe
{
    /// <summary>
    /// Runs <paramref name="model"/> on <paramref name="input"/> only as far as <paramref name="layer"/> and returns the
    /// layer's first output. The pass is cut short right after the layer (the rest of the network is not computed).
    /// </summary>
    /// <exception cref="ArgumentException">The layer did not run for this input (it is not part of the forward path).</exception>
    public static Tensor Run(Module model, Tensor input, Module layer)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(layer);
        Tensor? captured = null;
        using (layer.RegisterForwardHook((_, output) =>
               {
                   captured = output.Alias();
                   throw new StopForward();
               }))
        {
            try
            {
                using var _ = model.Call(input);
            }
            catch (StopForward)
            {
                // The modules dispose their own intermediates as the exception unwinds through their using blocks.
            }
        }
        return captured ?? throw new ArgumentException($"layer '{layer.Name}' did not run in the forward pass (e.g. an auxiliary head used only in training)");
    }

    /// <summary>Runs the whole model and also returns <paramref name="layer"/>'s first output (for Grad-CAM).</summary>
    /// <exception cref="ArgumentException">The layer did not run for this input.</exception>
    public static (Tensor Output, Tensor Activation) RunWithActivation(Module model, Tensor input, Module layer)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(layer);
        Tensor? captured = null;
        Tensor output;
        using (layer.RegisterForwardHook((_, o) => captured ??= o.Alias()))
            output = model.Call(input);
        if (captured is null)
        {
            output.Dispose();
            throw new ArgumentException($"layer '{layer.Name}' did not run in the forward pass (e.g. an auxiliary head used only in training)");
        }
        return (output, captured);
    }

    /// <summary>Thrown by the hook to stop the forward pass once the layer has run.</summary>
    private sealed class StopForward : Exception
    {
        public StopForward() : base("forward pass stopped after the probed layer") { }
    }
}
