using Google.Protobuf;
using SharpVision.Engine.IO;
using SharpVision.Layers;
using SharpVision.Models;
using SharpVision.Onnx.Proto;

namespace SharpVision.Onnx;

/// <summary>
/// Writes a SharpVision model as an ONNX file (opset 17+, IR 8): the eval-mode graph with a dynamic batch dimension,
/// input "input" = normalised float32 [batch, C, H, W] at the model's input size, output "logits" (or
/// "probabilities" with <see cref="OnnxExportOptions.Softmax"/>), and the preprocessing in the metadata
/// (<see cref="OnnxMetadata"/>). Layers without an ONNX mapping are refused by name (<see cref="OnnxExportException"/>).
/// </summary>
public static class OnnxExporter
{
    /// <summary>The operator set written unless another is asked for.</summary>
    public const int DefaultOpset = 17;

    /// <summary>The graph input's name.</summary>
    public const string InputName = "input";

    /// <summary>The second graph output's name: penultimate features, present when the open-set detector scores them.</summary>
    public const string FeaturesName = "features";

    /// <summary>Builds the ONNX model in memory.</summary>
    internal static ModelProto Build(Module model, ModelDescriptor descriptor, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(descriptor);
        options ??= new OnnxExportOptions();
        if (options.Opset < DefaultOpset) throw new ArgumentException($"opset {options.Opset} is too old: SharpVision exports opset {DefaultOpset} or newer");
        var g = new OnnxGraphBuilder();
        g.Fresh(InputName);
        var shape = new long[] { descriptor.InputChannels, descriptor.InputHeight, descriptor.InputWidth };
        var emitter = new ModuleEmitter(g);
        var y = emitter.Emit(model, "", new OnnxValue(InputName, shape));
        if (y.Shape.Length != 1) throw new OnnxExportException($"{descriptor.Architecture}: the model ends in a [{string.Join(", ", y.Shape)}] map, not class scores");
        string outputName;
        var units = y.Shape[0];
        if (options.Softmax)
        {
            outputName = "probabilities";
            string probs;
            if (units == 1)
            {
                // A single-unit binary model: [1 − p, p], the same two-class rows ImageClassifier returns.
                var p = g.Node("Sigmoid", "p", new[] { y.Name });
                var one = g.Constant("one", new[] { 1f }, Array.Empty<long>());
                var q = g.Node("Sub", "q", new[] { one, p });
                probs = g.Node("Concat", "pq", new[] { q, p }, OnnxGraphBuilder.Int("axis", 1));
                units = 2;
            }
            else probs = g.Node("Softmax", "softmax", new[] { y.Name }, OnnxGraphBuilder.Int("axis", 1));
            g.Graph.Node.Add(Rename(probs, outputName));
        }
        else
        {
            outputName = "logits";
            g.Graph.Node.Add(Rename(y.Name, outputName));
        }
        g.Graph.Input.Add(OnnxGraphBuilder.BatchedFloat(InputName, shape));
        g.Graph.Output.Add(OnnxGraphBuilder.BatchedFloat(outputName, new[] { units }));
        // A detector that scores the penultimate features (k-NN, Mahalanobis) needs them from the graph as well.
        if (descriptor.Unknown is { } unknown && UnknownScoreNames.NeedsFeatures(unknown.Kind) && emitter.Features is { Shape.Length: 1 } features)
        {
            g.Graph.Node.Add(Rename(features.Name, FeaturesName));
            g.Graph.Output.Add(OnnxGraphBuilder.BatchedFloat(FeaturesName, new[] { features.Shape[0] }));
        }

        var proto = new ModelProto
        {
            IrVersion = 8,
            ProducerName = "SharpVision",
            ProducerVersion = OnnxMetadata.Version,
            DocString = $"{descriptor.Architecture} exported by SharpVision",
            Graph = g.Graph,
        };
        proto.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = options.Opset });
        foreach (var (k, v) in OnnxMetadata.Create(descriptor, options.Softmax))
            proto.MetadataProps.Add(new StringStringEntryProto { Key = k, Value = v });
        return proto;
    }

    private static NodeProto Rename(string from, string to)
    {
        var node = new NodeProto { OpType = "Identity", Name = to };
        node.Input.Add(from);
        node.Output.Add(to);
        return node;
    }

    /// <summary>
    /// Exports a SharpVision model file (.safetensors) to <paramref name="onnxPath"/> and, unless
    /// <paramref name="verify"/> is false, runs the parity check (batches 1 and 7) on the result.
    /// </summary>
    /// <returns>The parity check's result, or null when it was skipped.</returns>
    public static OnnxParityResult? ExportFile(string modelPath, string onnxPath, OnnxExportOptions? options = null, bool verify = true)
    {
        if (!File.Exists(modelPath)) throw new FileNotFoundException($"{modelPath}: no such model file", modelPath);
        if (!OnnxSession.LooksLikeSafeTensors(modelPath))
            throw new InvalidDataException($"{modelPath}: not a SharpVision model file (.safetensors); export reads what train writes");
        var (model, descriptor) = ModelFile.Load(modelPath);
        using (model)
        {
            Export(model, descriptor, onnxPath, options);
            return verify ? OnnxParity.Check(model, descriptor, onnxPath) : null;
        }
    }

    /// <summary>Exports <paramref name="model"/> to <paramref name="path"/> (written atomically).</summary>
    public static void Export(Module model, ModelDescriptor descriptor, string path, OnnxExportOptions? options = null)
    {
        var proto = Build(model, descriptor, options);
        AtomicFile.Write(path, stream =>
        {
            using var output = new CodedOutputStream(stream, leaveOpen: true);
            proto.WriteTo(output);
        });
    }
}
