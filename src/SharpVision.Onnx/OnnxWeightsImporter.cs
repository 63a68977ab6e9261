using System.Globalization;
using System.Runtime.InteropServices;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using SharpVision.Data;
using SharpVision.Engine;
using SharpVision.Engine.IO;
using SharpVision.Layers;
using SharpVision.Models;
using SharpVision.Onnx.Proto;

namespace SharpVision.Onnx;

/// <summary>
/// Imports an ONNX model's weights into a zoo model: walks the graph's Conv (with the BatchNormalization each feeds)
/// and Gemm nodes in order and maps them onto the zoo model's convolution/batch-norm units and dense layers by shape
/// and stride (a graph that does not fit says at which node), then checks the import against ONNX Runtime on seeded
/// inputs. Names in the file do not matter (CNTK's "Parameter91" becomes "conv1.weight").
/// </summary>
public static class OnnxWeightsImporter
{
    private sealed record ConvUnit(string Node, float[] Weight, long[] Shape, float[]? Bias, long[] Strides, long[] Pads, float[][]? Bn, double Eps);

    private sealed record ZooUnit(string Path, Conv2d Conv, BatchNorm? Bn);

    /// <summary>Maps <paramref name="onnxPath"/> onto <paramref name="architecture"/>, verifies it and returns the model with the weights.</summary>
    /// <exception cref="InvalidDataException">Not ONNX, or the graph does not match the architecture (the message says where).</exception>
    public static (Module Model, OnnxImportResult Result) Import(string onnxPath, string architecture, OnnxImportOptions? options = null)
    {
        options ??= new OnnxImportOptions();
        var proto = Parse(onnxPath);
        var graph = proto.Graph ?? throw new InvalidDataException($"{onnxPath}: the ONNX file has no graph");
        var init = graph.Initializer.ToDictionary(t => t.Name, t => t, StringComparer.Ordinal);
        var producers = new Dictionary<string, NodeProto>(StringComparer.Ordinal);
        foreach (var n in graph.Node) foreach (var o in n.Output) producers[o] = n;

        var convs = new List<ConvUnit>();
        var gemms = new List<(string Node, float[] W, long[] Shape, float[]? B)>();
        var bnByInput = graph.Node.Where(n => n.OpType == "BatchNormalization").ToDictionary(n => n.Input[0], n => n, StringComparer.Ordinal);
        foreach (var n in graph.Node)
        {
            if (n.OpType == "Conv")
            {
                var (w, shape) = Floats(onnxPath, init, n.Input[1], n.Name);
                var bias = n.Input.Count > 2 && n.Input[2].Length > 0 ? Floats(onnxPath, init, n.Input[2], n.Name).Data : null;
                float[][]? bn = null;
                double eps = 1e-5;
                if (bnByInput.TryGetValue(n.Output[0], out var b))
                {
                    bn = Enumerable.Range(1, 4).Select(i => Floats(onnxPath, init, b.Input[i], b.Name).Data).ToArray();
                    eps = b.Attribute.FirstOrDefault(a => a.Name == "epsilon")?.F ?? 1e-5f;
                }
                convs.Add(new ConvUnit(n.Name, w, shape, bias, Ints(n, "strides", 1, 1), Ints(n, "pads", 0, 0, 0, 0), bn, eps));
            }
            else if (n.OpType == "Gemm")
            {
                var (w, shape) = Floats(onnxPath, init, n.Input[1], n.Name);
                if ((n.Attribute.FirstOrDefault(a => a.Name == "transB")?.I ?? 0) == 0) (w, shape) = (Transpose(w, shape), new[] { shape[1], shape[0] });
                gemms.Add((n.Name, w, shape, n.Input.Count > 2 ? Floats(onnxPath, init, n.Input[2], n.Name).Data : null));
            }
        }

        var classes = gemms.Count > 0 ? (int)gemms[^1].Shape[0] : 1000;
        var model = ModelZoo.Create(architecture, new ModelOptions { NumClasses = classes });
        try
        {
            var unmapped = new List<string>();
            int mapped;
            using (Torch.NoGrad()) mapped = MapConvolutions(onnxPath, architecture, model, convs, options.Bgr || options.PreprocessPath is not null);
            string? stopAt = null;
            if (mapped < convs.Count)
            {
                // The graph goes on past the zoo model's last block: compare at the block output where the zoo model ends.
                if (gemms.Count > 0) throw new InvalidDataException($"{onnxPath}: the graph has {convs.Count - mapped} more convolutions than {architecture} (from '{convs[mapped].Node}') and a classifier");
                stopAt = BlockOutputAfter(graph, convs[mapped - 1].Node) ?? throw new InvalidDataException($"{onnxPath}: the graph has {convs.Count - mapped} more convolutions than {architecture}, from '{convs[mapped].Node}'");
            }
            var dense = MapDense(onnxPath, architecture, model, gemms, unmapped);
            model.Eval();
            var (verification, compared) = Verify(onnxPath, proto, model, options, stopAt);
            if (stopAt is not null) compared = $"features at '{stopAt}' (the graph's {convs.Count - mapped} further convolutions from '{convs[mapped].Node}' are not part of {architecture})";
            Normalization? normalization = null;
            if (options.PreprocessPath is { } prep)
            {
                FoldPreprocessing(prep, model);
                normalization = Normalization.ImageNet;
            }
            return (model, new OnnxImportResult(model.Name, mapped, dense, unmapped, verification, compared, normalization));
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Imports and writes the weights as a safetensors file with torchvision names (for --pretrained).</summary>
    public static OnnxImportResult ImportToFile(string onnxPath, string architecture, string outPath, OnnxImportOptions? options = null)
    {
        var (model, result) = Import(onnxPath, architecture, options);
        using (model)
        {
            var state = model.StateDict();
            try
            {
                var metadata = new Dictionary<string, string>
                {
                    ["source"] = Path.GetFileName(onnxPath),
                    ["architecture"] = architecture,
                    ["normalization"] = result.Normalization?.Mode.ToString() ?? "as the ONNX model's input",
                    ["onnx_verification"] = result.Verification.ToString(),
                };
                // A backbone-only file leaves the classifier at its random initialisation: do not pass it off as pretrained.
                var keep = state.Where(kv => !result.Unmapped.Any(u => kv.Key.StartsWith(u + ".", StringComparison.Ordinal)));
                SafeTensors.Save(outPath, keep.Select(kv => new KeyValuePair<string, Tensor>(kv.Key, kv.Value.Contiguous())).ToList(), metadata);
            }
            finally
            {
                foreach (var t in state.Values) t.Dispose();
            }
        }
        return result;
    }

    private static ModelProto Parse(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such ONNX file", path);
        try
        {
            using var f = File.OpenRead(path);
            var proto = ModelProto.Parser.ParseFrom(f);
            if (proto.Graph is null || proto.Graph.Node.Count == 0) throw new InvalidDataException($"{path}: not a valid ONNX model (no graph nodes)");
            return proto;
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"{path}: not a valid ONNX model ({e.Message.Split('\n')[0]})", e);
        }
    }

    private static (float[] Data, long[] Shape) Floats(string path, Dictionary<string, TensorProto> init, string name, string node)
    {
        if (!init.TryGetValue(name, out var t)) throw new InvalidDataException($"{path}: node '{node}' reads '{name}', which is not a stored weight (only constant weights can be imported)");
        if (t.DataType != (int)TensorProto.Types.DataType.Float) throw new InvalidDataException($"{path}: weight '{name}' of node '{node}' is not float32");
        var data = t.RawData.Length > 0 ? MemoryMarshal.Cast<byte, float>(t.RawData.Span).ToArray() : t.FloatData.ToArray();
        var shape = t.Dims.ToArray();
        if (data.Length != shape.Aggregate(1L, (a, b) => a * b)) throw new InvalidDataException($"{path}: weight '{name}' holds {data.Length} values for shape [{string.Join(", ", shape)}] (external data is not supported)");
        return (data, shape);
    }

    private static long[] Ints(NodeProto n, string name, params long[] fallback) =>
        n.Attribute.FirstOrDefault(a => a.Name == name) is { } a && a.Ints.Count > 0 ? a.Ints.ToArray() : fallback;

    private static float[] Transpose(float[] w, long[] shape)
    {
        var (r, c) = ((int)shape[0], (int)shape[1]);
        var t = new float[w.Length];
        for (var i = 0; i < r; i++) for (var j = 0; j < c; j++) t[j * r + i] = w[i * c + j];
        return t;
    }

    /// <summary>Each Conv2d of the zoo model in forward (registration) order with the BatchNorm registered right after it.</summary>
    private static List<ZooUnit> ZooUnits(Module model)
    {
        var modules = model.NamedModules().ToList();
        var units = new List<ZooUnit>();
        for (var i = 0; i < modules.Count; i++)
        {
            if (modules[i].Module is not Conv2d conv) continue;
            BatchNorm? bn = null;
            for (var j = i + 1; j < modules.Count && modules[j].Module is not Conv2d; j++)
                if (modules[j].Module is BatchNorm b && b.NumFeatures == conv.OutChannels) { bn = b; break; }
            units.Add(new ZooUnit(modules[i].Name, conv, bn));
        }
        return units;
    }

    /// <summary>
    /// Assigns ONNX convolutions to zoo units in order. Within a residual block exporters order the shortcut and the
    /// main branch differently, so each node takes the first of the next three unassigned units with its shape and
    /// stride; anything else is a mismatch reported at that node.
    /// </summary>
    private static int MapConvolutions(string path, string arch, Module model, List<ConvUnit> convs, bool swapFirst)
    {
        var remaining = ZooUnits(model);
        foreach (var (c, index) in convs.Select((c, i) => (c, i)))
        {
            // The zoo model is complete: what follows in the graph (more blocks) is not imported.
            if (remaining.Count == 0) return index;
            var candidates = remaining.Take(3).ToList();
            var match = candidates.FirstOrDefault(u => u.Conv.Weight.Shape.SequenceEqual(c.Shape) && u.Conv.Stride.H == c.Strides[0] && u.Conv.Stride.W == c.Strides[1]
                && c.Pads[0] == PadOf(u.Conv).H && c.Pads[1] == PadOf(u.Conv).W);
            if (match is null)
            {
                var next = candidates.Count == 0 ? "nothing (the zoo model has no more convolutions)"
                    : string.Join(", ", candidates.Select(u => $"{u.Path} [{string.Join(", ", u.Conv.Weight.Shape)}] stride {u.Conv.Stride.H}"));
                throw new InvalidDataException($"{path}: Conv node '{c.Node}' (#{index + 1}, weight [{string.Join(", ", c.Shape)}], stride {c.Strides[0]}, pads [{string.Join(", ", c.Pads)}]) does not match {arch}; expected one of: {next}");
            }
            remaining.Remove(match);
            using var w = Tensor.FromArray(c.Weight, c.Shape);
            if (index == 0 && swapFirst)
            {
                using var flipped = w.Flip(1);
                match.Conv.Weight.Value.Copy_(flipped);
            }
            else match.Conv.Weight.Value.Copy_(w);
            if ((c.Bias is null) != (match.Conv.Bias is null) && c.Bias is not null && c.Bias.Any(v => v != 0))
                throw new InvalidDataException($"{path}: Conv node '{c.Node}' has a bias but {arch}'s {match.Path} has none");
            if (c.Bias is not null && match.Conv.Bias is { } b) using (var bt = Tensor.FromArray(c.Bias)) b.Value.Copy_(bt);
            if ((c.Bn is null) != (match.Bn is null))
                throw new InvalidDataException($"{path}: Conv node '{c.Node}' is {(c.Bn is null ? "not " : "")}followed by BatchNormalization but {arch}'s {match.Path} is {(match.Bn is null ? "not" : "")}");
            if (c.Bn is { } bn && match.Bn is { } zb)
            {
                var targets = new[] { zb.Weight!.Value, zb.Bias!.Value, zb.RunningMean!, zb.RunningVar! };
                for (var k = 0; k < 4; k++)
                    using (var v = Tensor.FromArray(bn[k])) targets[k].Copy_(v);
                if (Math.Abs(c.Eps - zb.Eps) > 1e-6 * Math.Max(1, zb.Eps) + 1e-9 && Math.Abs(c.Eps - zb.Eps) / zb.Eps > 1e-3)
                    throw new InvalidDataException($"{path}: BatchNormalization after '{c.Node}' has epsilon {c.Eps} but {arch}'s {match.Path} uses {zb.Eps}");
            }
        }
        if (remaining.Count > 0)
            throw new InvalidDataException($"{path}: the graph ends after {convs.Count} convolutions but {arch} has {remaining.Count} more, from {remaining[0].Path}");
        return convs.Count;
    }

    /// <summary>The explicit (begin) padding of a zoo convolution; CNTK writes end padding that only trims the output, so begins must agree.</summary>
    private static (int H, int W) PadOf(Conv2d c) => c.Padding.Mode == PaddingMode.Explicit ? (c.Padding.H, c.Padding.W) : (0, 0);

    private static int MapDense(string path, string arch, Module model, List<(string Node, float[] W, long[] Shape, float[]? B)> gemms, List<string> unmapped)
    {
        var linears = model.NamedModules().Where(m => m.Module is Linear).Select(m => (m.Name, Layer: (Linear)m.Module)).ToList();
        if (gemms.Count > linears.Count) throw new InvalidDataException($"{path}: the graph has {gemms.Count} Gemm nodes but {arch} has {linears.Count} dense layers");
        // Dense layers are matched from the end: a backbone-only file has none, a classifier's last Gemm is the head.
        var offset = linears.Count - gemms.Count;
        for (var i = 0; i < offset; i++) unmapped.Add(linears[i].Name);
        using var noGrad = Torch.NoGrad();
        for (var i = 0; i < gemms.Count; i++)
        {
            var (name, layer) = linears[offset + i];
            var g = gemms[i];
            if (!layer.Weight.Shape.SequenceEqual(g.Shape))
                throw new InvalidDataException($"{path}: Gemm node '{g.Node}' (weight [{string.Join(", ", g.Shape)}]) does not match {arch}'s {name} [{string.Join(", ", layer.Weight.Shape)}]");
            using (var w = Tensor.FromArray(g.W, g.Shape)) layer.Weight.Value.Copy_(w);
            if (g.B is not null && layer.Bias is { } b) using (var bt = Tensor.FromArray(g.B)) b.Value.Copy_(bt);
        }
        return gemms.Count;
    }

    /// <summary>The output of the first Relu after <paramref name="convNode"/> that follows an Add: the end of its residual block.</summary>
    private static string? BlockOutputAfter(GraphProto graph, string convNode)
    {
        var start = graph.Node.ToList().FindIndex(n => n.Name == convNode);
        var adds = new HashSet<string>(StringComparer.Ordinal);
        for (var i = start + 1; i < graph.Node.Count; i++)
        {
            var n = graph.Node[i];
            if (n.OpType == "Add") foreach (var o in n.Output) adds.Add(o);
            if (n.OpType == "Relu" && adds.Contains(n.Input[0])) return n.Output[0];
        }
        return null;
    }

    /// <summary>
    /// Runs the ONNX file and the imported model on the same seeded inputs (channel-reversed for a BGR model). With
    /// <paramref name="stopAt"/> the graph value of that name is read instead of the graph output and pooled globally.
    /// </summary>
    private static (OnnxParityResult Result, string Compared) Verify(string path, ModelProto proto, Module model, OnnxImportOptions options, string? stopAt)
    {
        var initNames = proto.Graph.Initializer.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var input = proto.Graph.Input.First(i => !initNames.Contains(i.Name));
        var dims = input.Type.TensorType.Shape.Dim.Select(d => d.DimValue > 0 ? d.DimValue : 0).ToArray();
        var n = dims[0] > 0 ? (int)dims[0] : 2;
        int c = (int)dims[1], h = dims[2] > 0 ? (int)dims[2] : 224, w = dims[3] > 0 ? (int)dims[3] : 224;
        var outputName = proto.Graph.Output[0].Name;
        using var sessionOptions = new SessionOptions { IntraOpNumThreads = OnnxSession.ResolveThreads(null) };
        InferenceSession session;
        if (stopAt is null) session = new InferenceSession(path, sessionOptions);
        else
        {
            var probe = proto.Clone();
            probe.Graph.Output.Clear();
            probe.Graph.Output.Add(new ValueInfoProto { Name = stopAt, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float } } });
            session = new InferenceSession(probe.ToByteArray(), sessionOptions);
            outputName = stopAt;
        }
        using var sessionScope = session;
        using var generator = new Generator(options.Seed);
        float[] x, expected;
        using (Torch.NewDisposeScope())
        using (Torch.NoGrad())
        {
            var t = Tensor.Randn(new long[] { n, c, h, w }, generator);
            x = t.ToArray<float>();
            var rgb = options.Bgr || options.PreprocessPath is not null ? t.Flip(1) : t;
            expected = Array.Empty<float>();
            var onnxOut = RunOnnx(session, input.Name, outputName, x, n, c, h, w);
            if (stopAt is not null) onnxOut = GlobalMean(onnxOut, n, ((IClassifierModel)model).FeatureDim);
            var cls = (IClassifierModel)model;
            var compared = onnxOut.Length == n * cls.NumClasses && proto.Graph.Node.Any(nd => nd.OpType == "Gemm") ? "logits" : "features";
            expected = (compared == "logits" ? model.Call(rgb) : cls.ForwardFeatures(rgb)).Contiguous().ToArray<float>();
            if (expected.Length != onnxOut.Length)
                throw new InvalidDataException($"{path}: the graph outputs {onnxOut.Length / n} values per image, the imported model's {compared} {expected.Length / n}: they cannot be compared");
            var (maxDiff, maxRef, same) = OnnxParity.Compare(onnxOut, expected, n);
            return (new OnnxParityResult(maxDiff, same, n, new[] { n }, maxRef), compared);
        }
    }

    private static float[] RunOnnx(InferenceSession session, string input, string output, float[] x, int n, int c, int h, int w)
    {
        using var value = OrtValue.CreateTensorValueFromMemory(x, new long[] { n, c, h, w });
        using var run = new RunOptions();
        using var results = session.Run(run, new[] { input }, new[] { value }, new[] { output });
        return results[0].GetTensorDataAsSpan<float>().ToArray();
    }

    /// <summary>Global average pooling of a flat [n, channels, …] map, in float64.</summary>
    private static float[] GlobalMean(float[] map, int n, int channels)
    {
        var plane = map.Length / (n * channels);
        var pooled = new float[n * channels];
        for (var i = 0; i < pooled.Length; i++)
        {
            double sum = 0;
            for (var p = 0; p < plane; p++) sum += map[i * plane + p];
            pooled[i] = (float)(sum / plane);
        }
        return pooled;
    }

    /// <summary>
    /// Folds a preprocessing graph (RGB→BGR Split/Concat, then Sub of a 0–255 mean) into the first convolution and its
    /// BatchNorm so the model takes ImageNet-normalised RGB: x₂₅₅ − m = 255·(σ·z + μ) − m, so W ← W·255σ per input channel
    /// and the constant conv(W, 255μ − m) is subtracted from the running mean (exact away from the zero-padded border).
    /// </summary>
    private static void FoldPreprocessing(string prepPath, Module model)
    {
        var prep = Parse(prepPath);
        var sub = prep.Graph.Node.FirstOrDefault(n => n.OpType == "Sub")
            ?? throw new InvalidDataException($"{prepPath}: no Sub node (expected the subtraction of a mean image)");
        var init = prep.Graph.Initializer.ToDictionary(t => t.Name, t => t, StringComparer.Ordinal);
        var (mean, shape) = Floats(prepPath, init, sub.Input[1], sub.Name);
        var channels = shape.Length >= 3 ? (int)shape[^3] : mean.Length;
        if (channels != 3) throw new InvalidDataException($"{prepPath}: the mean has {channels} channels, not 3");
        var plane = mean.Length / 3;
        // The mean is in the graph's (BGR) channel order; the first conv was already flipped to RGB.
        var bgrMean = Enumerable.Range(0, 3).Select(ch => mean.Skip(ch * plane).Take(plane).Average(v => (double)v)).ToArray();
        var rgbMean = new[] { bgrMean[2], bgrMean[1], bgrMean[0] };
        var first = ZooUnits(model)[0];
        var mu = Normalization.ImageNet.Mean;
        var sigma = Normalization.ImageNet.Std;
        using var noGrad = Torch.NoGrad();
        var wShape = first.Conv.Weight.Shape;
        var weights = first.Conv.Weight.Value.Contiguous().ToArray<float>();
        var perOut = (int)(wShape[1] * wShape[2] * wShape[3]);
        var perIn = (int)(wShape[2] * wShape[3]);
        var shift = new float[wShape[0]];
        for (var o = 0; o < wShape[0]; o++)
        {
            for (var ch = 0; ch < 3; ch++)
            {
                var offset = 255 * mu[ch] - rgbMean[ch];
                for (var k = 0; k < perIn; k++)
                {
                    var i = o * perOut + ch * perIn + k;
                    shift[o] += (float)(weights[i] * offset);
                    weights[i] = (float)(weights[i] * 255 * sigma[ch]);
                }
            }
        }
        using (var folded = Tensor.FromArray(weights, wShape)) first.Conv.Weight.Value.Copy_(folded);
        var bn = first.Bn ?? throw new InvalidDataException($"{prepPath}: the first convolution has no BatchNorm to absorb the mean");
        using var s = Tensor.FromArray(shift);
        using var updated = bn.RunningMean! - s;
        bn.RunningMean!.Copy_(updated);
    }
}
