using System.Runtime.InteropServices;
using Google.Protobuf;
using SharpVision.Engine;
using SharpVision.Onnx.Proto;

namespace SharpVision.Onnx;

/// <summary>
/// Accumulates the nodes and initializers of one ONNX graph: unique value names, float weights copied out of
/// libtorch tensors as raw little-endian data, constants, and attributes.
/// </summary>
internal sealed class OnnxGraphBuilder
{
    private readonly HashSet<string> names = new(StringComparer.Ordinal);
    private int counter;

    /// <summary>The graph being built.</summary>
    public GraphProto Graph { get; } = new() { Name = "sharpvision" };

    /// <summary>A fresh value name starting with <paramref name="hint"/>.</summary>
    public string Fresh(string hint)
    {
        var name = hint;
        while (!names.Add(name)) name = $"{hint}_{++counter}";
        return name;
    }

    /// <summary>Adds a float32 initializer copied from <paramref name="tensor"/> (any device or float dtype).</summary>
    public string Weight(string name, Tensor tensor)
    {
        using var cpu = tensor.Detach().To(Device.Cpu);
        using var f = cpu.To(DType.Float32);
        using var c = f.Contiguous();
        return Constant(name, c.ToArray<float>(), c.Shape);
    }

    /// <summary>Adds a float32 initializer with the given values and shape.</summary>
    public string Constant(string name, float[] values, IReadOnlyList<long> shape)
    {
        var t = new TensorProto { Name = Fresh(name), DataType = (int)TensorProto.Types.DataType.Float };
        t.Dims.AddRange(shape);
        t.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan()));
        Graph.Initializer.Add(t);
        return t.Name;
    }

    /// <summary>Adds an int64 initializer (shapes, axes).</summary>
    public string Int64Constant(string name, long[] values)
    {
        var t = new TensorProto { Name = Fresh(name), DataType = (int)TensorProto.Types.DataType.Int64 };
        t.Dims.Add(values.Length);
        t.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan()));
        Graph.Initializer.Add(t);
        return t.Name;
    }

    /// <summary>Adds a node with one output and returns the output's name.</summary>
    public string Node(string opType, string outputHint, IEnumerable<string> inputs, params AttributeProto[] attributes)
    {
        var output = Fresh(outputHint);
        var node = new NodeProto { OpType = opType, Name = output };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        Graph.Node.Add(node);
        return output;
    }

    /// <summary>An INT attribute.</summary>
    public static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    /// <summary>A FLOAT attribute.</summary>
    public static AttributeProto Float(string name, double value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = (float)value };

    /// <summary>An INTS attribute.</summary>
    public static AttributeProto Ints(string name, params long[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(values);
        return a;
    }

    /// <summary>A float32 tensor type with a symbolic batch dimension ("batch") followed by <paramref name="shape"/>.</summary>
    public static ValueInfoProto BatchedFloat(string name, IReadOnlyList<long> shape)
    {
        var tensorShape = new TensorShapeProto();
        tensorShape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "batch" });
        foreach (var d in shape) tensorShape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = tensorShape } },
        };
    }
}
