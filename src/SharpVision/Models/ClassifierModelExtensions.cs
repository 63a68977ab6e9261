using SharpVision.Layers;

namespace SharpVision.Models;

/// <summary>Backbone helpers for <see cref="IClassifierModel"/>.</summary>
public static class ClassifierModelExtensions
{
    /// <summary>
    /// The largest modules that contain no head: freezing them freezes exactly the backbone. For VGG this includes
    /// classifier.0–5, the pretrained MLP in front of the replaceable last layer.
    /// </summary>
    public static IReadOnlyList<(string Path, Module Module)> BackboneModules(this IClassifierModel model)
    {
        var result = new List<(string, Module)>();
        Walk(model.Model, "", model.HeadPaths, result);
        return result;

        static void Walk(Module m, string path, IReadOnlyList<string> heads, List<(string, Module)> result)
        {
            foreach (var (name, child) in m.NamedChildren())
            {
                var p = path.Length == 0 ? name : path + "." + name;
                if (heads.Contains(p)) continue;
                if (heads.Any(h => h.StartsWith(p + ".", StringComparison.Ordinal))) Walk(child, p, heads, result);
                else result.Add((p, child));
            }
        }
    }

    /// <summary>Freezes the backbone (parameters stop requiring grad, its BatchNorm layers stay in inference mode).</summary>
    public static void FreezeBackbone(this IClassifierModel model)
    {
        foreach (var (_, m) in model.BackboneModules()) m.Freeze();
    }

    /// <summary>Unfreezes the backbone.</summary>
    public static void UnfreezeBackbone(this IClassifierModel model)
    {
        foreach (var (_, m) in model.BackboneModules()) m.Unfreeze();
    }

    /// <summary>Parameters of the head only (for a separate learning rate).</summary>
    public static IEnumerable<(string Name, Parameter Parameter)> HeadParameters(this IClassifierModel model) =>
        model.Model.NamedParameters().Where(p => model.HeadPaths.Any(h => p.Name.StartsWith(h + ".", StringComparison.Ordinal)));
}
