using SharpVision.Engine;

namespace SharpVision.Layers;

/// <summary>Element-wise sum of its inputs (Keras Add; residual connections in graph models).</summary>
public sealed class Add : MergeLayer
{
    /// <summary>Creates the layer.</summary>
    public Add() : base("add") { }

    /// <inheritdoc />
    public override Tensor Forward(IReadOnlyList<Tensor> inputs)
    {
        if (inputs.Count == 0) throw new ArgumentException($"{Name}: needs at least one input", nameof(inputs));
        var shape = inputs[0].Shape;
        for (var i = 1; i < inputs.Count; i++)
            if (!inputs[i].Shape.SequenceEqual(shape))
                throw new ArgumentException($"{Name}: input {i} has shape [{string.Join(", ", inputs[i].Shape)}] but input 0 has [{string.Join(", ", shape)}]", nameof(inputs));
        var sum = inputs[0].Alias();
        for (var i = 1; i < inputs.Count; i++)
        {
            var next = sum.Add(inputs[i]);
            sum.Dispose();
            sum = next;
        }
        return sum;
    }
}
