using SharpVision.Layers;
using SharpVision.Models;

namespace SharpVision.Explain;

/// <summary>
/// The layers of a model that explanations can use, found with one probe pass (<see cref="ModelSummary"/>): the
/// convolutions in module order and every layer with a feature-map (4-D) output. Resolves user layer names:
/// "first", "middle", "last" (among the convolutions), a summary name ("conv2d_3") or a module path ("layer4.1.conv2",
/// also containers such as "layer4").
/// </summary>
public sealed class LayerCatalog
{
    /// <summary>The role names <see cref="Resolve"/> accepts besides layer names.</summary>
    public static IReadOnlyList<string> Roles { get; } = ["first", "middle", "last"];

    private readonly Module model;

    private LayerCatalog(Module model, IReadOnlyList<ExplainableLayer> layers)
    {
        this.model = model;
        Layers = layers;
        ConvLayers = layers.Where(l => l.Module is Conv2d).ToArray();
    }

    /// <summary>Every summarised layer with a 4-D output, in module order.</summary>
    public IReadOnlyList<ExplainableLayer> Layers { get; }

    /// <summary>The <see cref="Conv2d"/> layers in module order (state-dict order).</summary>
    public IReadOnlyList<ExplainableLayer> ConvLayers { get; }

    /// <summary>Lists the layers of <paramref name="model"/> for inputs of channels × height × width.</summary>
    public static LayerCatalog Create(Module model, int channels, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(model);
        var summary = ModelSummary.Create(model, channels, height, width);
        var order = model.NamedModules().Select((m, i) => (m.Name, i)).ToDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);
        var layers = summary.Rows
            .Where(r => r.OutputShape is { Length: 4 })
            .GroupBy(r => r.Path, StringComparer.Ordinal).Select(g => g.First()) // a shared layer appears once
            .OrderBy(r => order.GetValueOrDefault(r.Path, int.MaxValue))
            .Select(r => new ExplainableLayer(r.Path, r.Name, r.Type, r.OutputShape, model[r.Path]))
            .ToArray();
        return new LayerCatalog(model, layers);
    }

    /// <summary>The conv layer for a role: first, middle (index count / 2) or last.</summary>
    /// <exception cref="ArgumentException">The model has no convolution, or the role is unknown.</exception>
    public ExplainableLayer ForRole(string role)
    {
        if (ConvLayers.Count == 0) throw new ArgumentException($"the model has no Conv2d layer; choose a layer by name: {Valid()}");
        return role.Trim().ToLowerInvariant() switch
        {
            "first" => ConvLayers[0],
            "middle" => ConvLayers[ConvLayers.Count / 2],
            "last" => ConvLayers[^1],
            _ => throw new ArgumentException($"'{role}' is not a layer role; roles: {string.Join(", ", Roles)}"),
        };
    }

    /// <summary>
    /// The default Grad-CAM layer: the last convolution's block output after its activation. A conv followed by
    /// BatchNorm and ReLU (fashion-cnn) gives the ReLU; Grad-CAM at the raw conv would weigh pre-normalisation values
    /// and often gives an all-zero map there. A conv with a fused activation (cafe-cnn) is its own output; when no
    /// activation follows at the same resolution, the conv itself.
    /// </summary>
    public ExplainableLayer GradCamLayer()
    {
        var conv = ForRole("last");
        var index = Layers.ToList().FindIndex(l => l.Path == conv.Path);
        if (index < 0 || conv.OutputShape is not { Length: 4 } shape) return conv;
        ExplainableLayer? activated = null;
        foreach (var l in Layers.Skip(index + 1))
        {
            if (l.OutputShape is not { Length: 4 } s || s[2] != shape[2] || s[3] != shape[3] || l.Module is Conv2d) break; // pooled or a new conv
            if (l.Module is ReLU or ReLU6 or SiLU or GELU or LeakyReLU) activated = l;
        }
        return activated ?? conv;
    }

    /// <summary>
    /// Finds a layer by role, summary name or module path (case-sensitive paths, case-insensitive roles).
    /// </summary>
    /// <exception cref="ArgumentException">No such layer; the message lists the valid names.</exception>
    public ExplainableLayer Resolve(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var text = name.Trim();
        if (Roles.Contains(text.ToLowerInvariant())) return ForRole(text);
        var hit = Layers.FirstOrDefault(l => l.Path == text) ?? Layers.FirstOrDefault(l => l.Name == text);
        if (hit is not null) return hit;
        if (text.Length > 0 && model.HasModule(text))
        {
            var m = model[text];
            return new ExplainableLayer(text, text, m.GetType().Name, null, m);
        }
        throw new ArgumentException($"unknown layer '{name}'; valid layers: {Valid()}");
    }

    /// <summary>The layer names for error messages: roles, then every conv layer as "name (path)", then other feature-map layers.</summary>
    public string Valid()
    {
        var convs = ConvLayers.Select(l => l.Label);
        var others = Layers.Where(l => l.Module is not Conv2d).Select(l => l.Label).ToList();
        var text = string.Join(", ", Roles.Concat(convs));
        if (others.Count > 0) text += $"; other layers with feature maps: {string.Join(", ", others.Take(40))}{(others.Count > 40 ? ", …" : "")}";
        return text + "; or any module path";
    }
}
