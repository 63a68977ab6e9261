namespace SharpVision.Layers;

/// <summary>
/// A symbolic tensor in a <see cref="GraphModel"/> (Keras functional API): either the model input or the output of a
/// layer applied to other nodes. Build graphs with <see cref="GraphModel.Input"/>, <see cref="Then"/> and
/// <see cref="GraphModel.Apply"/>.
/// </summary>
public sealed class GraphNode
{
    internal GraphNode(Module? layer, IReadOnlyList<GraphNode> inputs, string? inputName)
    {
        Layer = layer;
        Inputs = inputs;
        InputName = inputName;
    }

    /// <summary>The layer producing this node, or null for the model input.</summary>
    public Module? Layer { get; }

    /// <summary>The nodes the layer consumes (empty for the input).</summary>
    public IReadOnlyList<GraphNode> Inputs { get; }

    /// <summary>The input's name when this node is the model input.</summary>
    public string? InputName { get; }

    /// <summary>True for the model input.</summary>
    public bool IsInput => Layer is null;

    /// <summary>Applies <paramref name="layer"/> to this node: x = x.Then(new Conv2d(...)).</summary>
    public GraphNode Then(Module layer) => GraphModel.Apply(layer, this);
}
