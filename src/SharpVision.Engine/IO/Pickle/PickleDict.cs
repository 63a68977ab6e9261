namespace SharpVision.Engine.IO.Pickle;

/// <summary>A Python dict or OrderedDict in insertion order.</summary>
internal sealed class PickleDict
{
    private readonly Dictionary<object, int> index = new();

    public List<KeyValuePair<object?, object?>> Items { get; } = new();

    public void Set(object? key, object? value)
    {
        if (key is null) throw new InvalidDataException("a dictionary key is None");
        if (index.TryGetValue(key, out var i)) Items[i] = new(key, value);
        else
        {
            index[key] = Items.Count;
            Items.Add(new(key, value));
        }
    }
}
