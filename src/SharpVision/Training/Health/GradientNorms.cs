using SharpVision.Engine;
using SharpVision.Layers;

namespace SharpVision.Training.Health;

/// <summary>Per-layer gradient and weight norms (after backward), for the exploding / vanishing gradient checks.</summary>
public static class GradientNorms
{
    /// <summary>One layer (module owning parameters): the L2 norms of its gradients and of its weights.</summary>
    /// <param name="Name">The module path.</param>
    /// <param name="Gradient">Norm of every gradient of the layer's trainable parameters.</param>
    /// <param name="Weight">Norm of those parameters.</param>
    public sealed record Layer(string Name, double Gradient, double Weight)
    {
        /// <summary>Gradient / weight (how large a plain SGD step at rate 1 would be, relatively).</summary>
        public double Ratio => Weight > 0 ? Gradient / Weight : Gradient;
    }

    /// <summary>Measures the current gradients of every trainable layer (layers without gradients are left out).</summary>
    public static IReadOnlyList<Layer> Measure(Module model)
    {
        var sums = new Dictionary<string, (double Grad, double Weight, bool HasGrad)>(StringComparer.Ordinal);
        var order = new List<string>();
        using var noGrad = Torch.NoGrad();
        foreach (var (name, p) in model.NamedParameters())
        {
            if (!p.Value.RequiresGrad) continue;
            using var scope = Torch.NewDisposeScope();
            var grad = p.Value.Grad;
            var layer = name.Contains('.') ? name[..name.LastIndexOf('.')] : "model";
            if (!sums.ContainsKey(layer)) order.Add(layer);
            var s = sums.GetValueOrDefault(layer);
            var w = p.Value.Norm().Item();
            var g = grad is null ? 0 : grad.Norm().Item();
            sums[layer] = (s.Grad + g * g, s.Weight + w * w, s.HasGrad || grad is not null);
        }
        return order.Where(l => sums[l].HasGrad).Select(l => new Layer(l, Math.Sqrt(sums[l].Grad), Math.Sqrt(sums[l].Weight))).ToList();
    }
}
