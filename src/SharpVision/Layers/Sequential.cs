using SharpVision.Engine;

namespace SharpVision.Layers;

/// <summary>
/// Runs children in order (torch.nn.Sequential / Keras Sequential). Children are registered as "0", "1", … so
/// parameter names match torchvision ("features.0.weight"). Each intermediate activation is disposed as soon as the
/// next layer has consumed it; the caller's input is never disposed. Children may also be given names
/// (<see cref="Append(string, Module)"/>), like torch's OrderedDict form.
/// </summary>
public class Sequential : Module
{
    private readonly List<Module> layers = new();
    private readonly List<string> names = new();

    /// <summary>Creates the container with <paramref name="layers"/>.</summary>
    public Sequential(params Module[] layers) : this("sequential", layers) { }

    /// <summary>For subclasses with their own display name.</summary>
    protected Sequential(string defaultName, IEnumerable<Module> layers) : base(defaultName)
    {
        foreach (var l in layers) Append(l);
    }

    /// <summary>Number of children.</summary>
    public int Count => layers.Count;

    /// <summary>The child at <paramref name="index"/>.</summary>
    public Module this[int index] => layers[index];

    /// <summary>The children in order.</summary>
    public IReadOnlyList<Module> Layers => layers;

    /// <summary>Adds a layer at the end under the next index ("0", "1", …).</summary>
    public Sequential Append(Module layer) => Append(layers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), layer);

    /// <summary>Adds a layer at the end under <paramref name="name"/>.</summary>
    public Sequential Append(string name, Module layer)
    {
        RegisterModule(name, layer);
        layers.Add(layer);
        names.Add(name);
        return this;
    }

    /// <summary>The child names in order.</summary>
    public IReadOnlyList<string> Names => names;

    /// <summary>Replaces the layer at <paramref name="index"/> (disposing the old one), e.g. a classifier head.</summary>
    public void Replace(int index, Module layer)
    {
        if (index < 0 || index >= layers.Count) throw new ArgumentOutOfRangeException(nameof(index), index, $"sequential has {layers.Count} layers");
        ReplaceModule(names[index], layer);
        layers[index] = layer;
    }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => ForwardRange(input, 0, layers.Count);

    /// <summary>Runs layers [start, end) on <paramref name="input"/> (e.g. a backbone without its last layer).</summary>
    public Tensor ForwardRange(Tensor input, int start, int end)
    {
        if (start < 0 || end > layers.Count || start > end)
            throw new ArgumentOutOfRangeException(nameof(start), $"range [{start}, {end}) is outside 0..{layers.Count}");
        if (start == end) return input.Alias();
        var x = input;
        try
        {
            for (var i = start; i < end; i++)
            {
                var y = layers[i].Call(x);
                if (!ReferenceEquals(x, input)) x.Dispose();
                x = y;
            }
            return x;
        }
        catch
        {
            if (!ReferenceEquals(x, input)) x.Dispose();
            throw;
        }
    }
}
