using SharpVision.Engine;

namespace SharpVision.Layers;

/// <summary>
/// A model defined as a graph of layers (Keras functional API), with one input and one or more outputs, e.g. the
/// prediction and an inner activation for heatmaps:
/// <code>
/// var input = GraphModel.Input();
/// var conv1 = input.Then(new Conv2d(3, 16, 3, padding: "same", activation: Activation.Relu) { Name = "conv1" });
/// var prediction = conv1.Then(new GlobalAvgPool()).Then(new Linear(16, 5) { Name = "head" });
/// using var model = new GraphModel(input, prediction, conv1);
/// Tensor[] outputs = model.ForwardMany(x);   // [logits, conv1 activations]
/// </code>
/// Layers are registered as children under their <see cref="Module.Name"/> (a repeated name gets a Keras-style
/// suffix "_1", "_2"), so parameter names are "conv1.weight". A layer used by several nodes shares its weights.
/// </summary>
public sealed class GraphModel : Module
{
    private readonly GraphNode input;
    private readonly List<GraphNode> order = new();
    private readonly List<GraphNode> outputs;
    private readonly Dictionary<GraphNode, int> consumers = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<Module, string> layerNames = new(ReferenceEqualityComparer.Instance);

    /// <summary>Builds the model from its input node and output nodes (the first output is <see cref="Forward"/>'s result).</summary>
    public GraphModel(GraphNode input, params GraphNode[] outputs) : this(input, (IReadOnlyList<GraphNode>)outputs) { }

    /// <summary>Builds the model from its input node and output nodes.</summary>
    public GraphModel(GraphNode input, IReadOnlyList<GraphNode> outputs) : base("model")
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(outputs);
        if (!input.IsInput) throw new ArgumentException("the first argument must be a node created by GraphModel.Input()", nameof(input));
        if (outputs.Count == 0) throw new ArgumentException("a graph model needs at least one output", nameof(outputs));
        this.input = input;
        this.outputs = outputs.ToList();

        var visited = new HashSet<GraphNode>(ReferenceEqualityComparer.Instance);
        foreach (var o in this.outputs) Visit(o, visited, new HashSet<GraphNode>(ReferenceEqualityComparer.Instance));
        if (!visited.Contains(input)) throw new ArgumentException("the outputs do not depend on the given input", nameof(outputs));

        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in order)
        {
            if (node.IsInput) continue;
            var layer = node.Layer!;
            if (layerNames.ContainsKey(layer)) continue;
            var name = layer.Name;
            for (var k = 1; !used.Add(name); k++) name = $"{layer.Name}_{k}";
            layerNames[layer] = name;
            RegisterModule(name, layer);
        }
        foreach (var node in order)
            foreach (var i in node.Inputs)
                consumers[i] = consumers.GetValueOrDefault(i) + 1;
    }

    private void Visit(GraphNode node, HashSet<GraphNode> done, HashSet<GraphNode> onPath)
    {
        if (done.Contains(node)) return;
        if (!onPath.Add(node)) throw new ArgumentException("the graph has a cycle");
        if (node.IsInput && !ReferenceEquals(node, input))
            throw new ArgumentException($"the graph uses a second input '{node.InputName}'; graph models have exactly one input");
        foreach (var i in node.Inputs) Visit(i, done, onPath);
        onPath.Remove(node);
        done.Add(node);
        order.Add(node);
    }

    /// <summary>Creates the model's input node.</summary>
    public static GraphNode Input(string name = "input") => new(null, Array.Empty<GraphNode>(), name);

    /// <summary>Applies <paramref name="layer"/> to one node, or a <see cref="MergeLayer"/> to several.</summary>
    public static GraphNode Apply(Module layer, params GraphNode[] inputs)
    {
        ArgumentNullException.ThrowIfNull(layer);
        if (inputs.Length == 0) throw new ArgumentException($"layer '{layer.Name}' needs at least one input node", nameof(inputs));
        if (inputs.Length > 1 && layer is not MergeLayer)
            throw new ArgumentException($"layer '{layer.Name}' ({layer.GetType().Name}) takes one input; use Concatenate or Add to merge {inputs.Length} nodes", nameof(inputs));
        return new GraphNode(layer, inputs, null);
    }

    /// <summary>The name each output's layer is registered under ("input" for the input itself).</summary>
    public IReadOnlyList<string> OutputNames => outputs.Select(o => o.IsInput ? o.InputName ?? "input" : layerNames[o.Layer!]).ToList();

    /// <summary>Runs the graph and returns every output, in the order given at construction; the caller owns them.</summary>
    public Tensor[] ForwardMany(Tensor x)
    {
        ThrowIfDisposed();
        var values = new Dictionary<GraphNode, Tensor>(ReferenceEqualityComparer.Instance);
        var remaining = new Dictionary<GraphNode, int>(consumers, ReferenceEqualityComparer.Instance);
        var outputSet = new HashSet<GraphNode>(outputs, ReferenceEqualityComparer.Instance);
        try
        {
            foreach (var node in order)
            {
                if (node.IsInput) { values[node] = x; continue; }
                var args = node.Inputs.Select(i => values[i]).ToArray();
                values[node] = node.Layer is MergeLayer merge ? merge.Call(args) : node.Layer!.Call(args[0]);
                foreach (var i in node.Inputs)
                {
                    if (--remaining[i] > 0 || outputSet.Contains(i) || i.IsInput) continue;
                    values[i].Dispose();
                    values.Remove(i);
                }
            }
            var result = new Tensor[outputs.Count];
            var handedOut = new HashSet<GraphNode>(ReferenceEqualityComparer.Instance);
            for (var k = 0; k < outputs.Count; k++)
            {
                var o = outputs[k];
                // The caller owns each result: alias the input and repeated outputs instead of sharing a handle.
                result[k] = o.IsInput || !handedOut.Add(o) ? values[o].Alias() : values[o];
            }
            values.Clear();
            return result;
        }
        finally
        {
            foreach (var (node, t) in values)
                if (!node.IsInput) t.Dispose();
        }
    }

    /// <summary>Returns the first output (the others are computed and freed).</summary>
    public override Tensor Forward(Tensor input)
    {
        var all = ForwardMany(input);
        for (var i = 1; i < all.Length; i++) all[i].Dispose();
        return all[0];
    }
}
