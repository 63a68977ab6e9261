using System.Globalization;
using SharpVision.Layers;
using SharpVision.Models;

namespace SharpVision.Transfer;

/// <summary>
/// Selects modules of a model by path, for freezing or unfreezing. The text form is a comma-separated list of items:
/// <list type="bullet">
/// <item><c>layer1</c>, <c>features.3.conv</c>: the module at that dotted path (a prefix of its parameter names);</item>
/// <item><c>features.0-12</c>: children 0 to 12 (inclusive, by position) of the container at <c>features</c>;</item>
/// <item><c>features.13+</c>: children 13 to the last of <c>features</c>;</item>
/// <item><c>backbone</c>: everything but the classification head (models implementing <see cref="IClassifierModel"/>);</item>
/// <item><c>all</c>: the whole model.</item>
/// </list>
/// <see cref="Until"/> builds the <c>--freeze-until NAME</c> selection: every module that comes before NAME in
/// registration order, at every level of NAME's path (for ResNet "layer3": conv1, bn1, relu, maxpool, layer1, layer2;
/// for MobileNetV2 "features.14": features.0–13). NAME itself and what follows it stay trainable.
/// </summary>
public sealed class FreezeSpec
{
    private readonly IReadOnlyList<Item> items;

    private FreezeSpec(IReadOnlyList<Item> items, string text)
    {
        this.items = items;
        Text = text;
    }

    /// <summary>The spec as written (normalised: items trimmed, joined by commas).</summary>
    public string Text { get; }

    /// <summary>Selects nothing.</summary>
    public static FreezeSpec None { get; } = new(Array.Empty<Item>(), "");

    /// <summary>True when the spec selects nothing.</summary>
    public bool IsEmpty => items.Count == 0;

    /// <summary>Parses the text form (see the class summary). An empty string selects nothing.</summary>
    /// <exception cref="FormatException">A malformed item; the message names it and shows the valid forms.</exception>
    public static FreezeSpec Parse(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var parsed = new List<Item>();
        foreach (var raw in spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            parsed.Add(ParseItem(raw, spec));
        return new FreezeSpec(parsed, string.Join(",", parsed.Select(p => p.Text)));
    }

    /// <summary>
    /// The <c>--freeze-until NAME</c> selection: every module registered before <paramref name="path"/> at each level
    /// of its path. The model is needed to know the order; the result names those modules explicitly.
    /// </summary>
    /// <exception cref="ArgumentException">No module at <paramref name="path"/>; the message lists what exists.</exception>
    public static FreezeSpec Until(Module model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var parts = path.Trim().Split('.');
        var selected = new List<Item>();
        var parent = model;
        var prefix = "";
        foreach (var part in parts)
        {
            var children = parent.NamedChildren().ToList();
            var index = children.FindIndex(c => c.Name == part);
            if (index < 0)
                throw new ArgumentException($"FreezeUntil '{path}': '{(prefix.Length == 0 ? "<model>" : prefix)}' has no child '{part}' (children: {string.Join(", ", children.Select(c => c.Name))})", nameof(path));
            for (var i = 0; i < index; i++) selected.Add(new Item(Join(prefix, children[i].Name), ItemKind.Path, 0, 0));
            prefix = Join(prefix, part);
            parent = children[index].Module;
        }
        return new FreezeSpec(selected, string.Join(",", selected.Select(s => s.Text)));
    }

    /// <summary>
    /// The modules this spec names in <paramref name="model"/>, with their paths, in spec order (duplicates removed).
    /// </summary>
    /// <exception cref="ArgumentException">An item names a path the model lacks or a range outside the container; the message lists what exists.</exception>
    public IReadOnlyList<(string Path, Module Module)> Select(Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var result = new List<(string, Module)>();
        var seen = new HashSet<Module>(ReferenceEqualityComparer.Instance);
        void Add(string p, Module m)
        {
            if (seen.Add(m)) result.Add((p, m));
        }
        foreach (var item in items)
        {
            switch (item.Kind)
            {
                case ItemKind.All:
                    Add("", model);
                    break;
                case ItemKind.Backbone:
                    if (model is not IClassifierModel classifier)
                        throw new ArgumentException($"freeze spec item 'backbone' needs a classifier model with a known head; {model.GetType().Name} is not one");
                    foreach (var (p, m) in classifier.BackboneModules()) Add(p, m);
                    break;
                case ItemKind.Path:
                    Add(item.Path, Resolve(model, item.Path, item.Text));
                    break;
                default:
                {
                    var container = Resolve(model, item.Path, item.Text);
                    var children = container.NamedChildren().ToList();
                    var last = item.Kind == ItemKind.From ? children.Count - 1 : item.End;
                    if (item.Start >= children.Count || last >= children.Count)
                        throw new ArgumentException($"freeze spec item '{item.Text}': '{item.Path}' has only {children.Count} children (0–{children.Count - 1})");
                    for (var i = item.Start; i <= last; i++) Add(Join(item.Path, children[i].Name), children[i].Module);
                    break;
                }
            }
        }
        return result;
    }

    /// <summary>Freezes the selected modules (parameters stop requiring grad; their BatchNorm layers use running statistics). Returns their paths.</summary>
    public IReadOnlyList<string> Freeze(Module model)
    {
        var selected = Select(model);
        foreach (var (_, m) in selected) m.Freeze();
        return selected.Select(s => s.Path).ToList();
    }

    /// <summary>Unfreezes the selected modules. Returns their paths.</summary>
    public IReadOnlyList<string> Unfreeze(Module model)
    {
        var selected = Select(model);
        foreach (var (_, m) in selected) m.Unfreeze();
        return selected.Select(s => s.Path).ToList();
    }

    /// <inheritdoc />
    public override string ToString() => Text.Length == 0 ? "(nothing)" : Text;

    private static Module Resolve(Module model, string path, string itemText)
    {
        try
        {
            return model[path];
        }
        catch (KeyNotFoundException e)
        {
            throw new ArgumentException($"freeze spec item '{itemText}': {e.Message}", e);
        }
    }

    private static Item ParseItem(string text, string spec)
    {
        const string forms = "valid items: PATH (e.g. layer1), PATH.A-B (e.g. features.0-12), PATH.A+ (e.g. features.13+), backbone, all";
        var lower = text.ToLowerInvariant();
        if (lower == "all") return new Item("", ItemKind.All, 0, 0) { Text = "all" };
        if (lower == "backbone") return new Item("", ItemKind.Backbone, 0, 0) { Text = "backbone" };
        if (text.Split('.').Any(p => p.Length == 0 || p.Any(char.IsWhiteSpace)))
            throw new FormatException($"freeze spec '{spec}': '{text}' is not a dotted module path; {forms}");
        var dot = text.LastIndexOf('.');
        var last = dot < 0 ? text : text[(dot + 1)..];
        var parent = dot < 0 ? "" : text[..dot];
        if (last.EndsWith('+'))
        {
            if (!TryIndex(last[..^1], out var from)) throw new FormatException($"freeze spec '{spec}': '{text}' must be PATH.N+ with a child index N; {forms}");
            return new Item(parent, ItemKind.From, from, 0) { Text = text };
        }
        var dash = last.IndexOf('-');
        if (dash > 0 && TryIndex(last[..dash], out var a))
        {
            if (!TryIndex(last[(dash + 1)..], out var b) || b < a)
                throw new FormatException($"freeze spec '{spec}': '{text}' must be PATH.A-B with child indices A ≤ B; {forms}");
            return new Item(parent, ItemKind.Range, a, b) { Text = text };
        }
        return new Item(text, ItemKind.Path, 0, 0);
    }

    private static bool TryIndex(string s, out int value) =>
        int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= 0;

    private static string Join(string prefix, string name) => prefix.Length == 0 ? name : prefix + "." + name;

    private enum ItemKind { Path, Range, From, Backbone, All }

    private sealed record Item(string Path, ItemKind Kind, int Start, int End)
    {
        public string Text { get; init; } = Path;
    }
}
