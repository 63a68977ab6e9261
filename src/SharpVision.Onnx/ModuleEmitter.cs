using System.Globalization;
using SharpVision.Layers;
using SharpVision.Models;
using static SharpVision.Onnx.OnnxGraphBuilder;

namespace SharpVision.Onnx;

/// <summary>
/// Writes a module tree as ONNX nodes, mirroring each layer's eval-mode forward pass: dropout disappears, BatchNorm
/// becomes BatchNormalization with the running statistics. Containers with their own forward code (ResNet blocks,
/// inverted residuals, Inception blocks, the torchvision models) are mapped by type; any other layer is refused with
/// its path. Shapes are tracked because the input size is fixed at export ("same" padding and adaptive pooling
/// depend on it).
/// </summary>
internal sealed class ModuleEmitter(OnnxGraphBuilder g)
{
    /// <summary>Emits <paramref name="m"/> (registered at <paramref name="path"/>) applied to <paramref name="x"/>.</summary>
    public OnnxValue Emit(Module m, string path, OnnxValue x) => m switch
    {
        ResNet r => ResNetModel(r, path, x),
        MobileNetV2 mb => MobileNet(mb, path, x),
        Vgg v => VggModel(v, path, x),
        InceptionV3 i => Inception(i, path, x),
        InceptionA or InceptionB or InceptionC or InceptionD or Models.InceptionE => InceptionBlock(m, path, x),
        BasicConv2d b => Relu(Emit(b["bn"], Join(path, "bn"), Emit(b["conv"], Join(path, "conv"), x)), path),
        BasicBlock or Bottleneck => Residual(m, path, x),
        InvertedResidual ir => InvertedResidualBlock(ir, path, x),
        Sequential s => Chain(s, path, x),
        ParallelConcat p => Concat(p.Branches.Select((b, k) => Emit(b, Join(path, k.ToString(CultureInfo.InvariantCulture)), x)).ToList(), path),
        Conv2d c => Conv(c, path, x),
        BatchNorm bn => BatchNormalization(bn, path, x),
        Linear l => Dense(l, path, x),
        MaxPool2d mp => Pool("MaxPool", path, x, mp.KernelSize, mp.Stride, mp.PaddingSize, mp.CeilMode, null),
        AvgPool2d ap => Pool("AveragePool", path, x, ap.KernelSize, ap.Stride, ap.PaddingSize, ap.CeilMode, ap.CountIncludePad),
        AdaptiveAvgPool2d aa => AdaptivePool(x, aa.OutputSize, path),
        GlobalAvgPool gp => gp.Flatten ? FlattenValue(GlobalPool(x, path), path) : GlobalPool(x, path),
        Flatten f => f.StartDim == 1 && f.EndDim == -1 ? FlattenValue(x, path) : Refuse(m, path, $"flatten({f.StartDim}, {f.EndDim}) is only mapped for (1, -1)"),
        Dropout or SpatialDropout or Identity => x,
        ReLU => Activate(Activation.Relu, x, path),
        ReLU6 => Activate(Activation.Relu6, x, path),
        SiLU => Activate(Activation.Silu, x, path),
        Sigmoid => Activate(Activation.Sigmoid, x, path),
        Tanh => Activate(Activation.Tanh, x, path),
        LeakyReLU lr => Unary("LeakyRelu", x, path, Float("alpha", lr.NegativeSlope)),
        GELU ge => Gelu(x, ge.TanhApproximation, path),
        Softmax sm => Unary("Softmax", x, path, Int("axis", sm.Dimension)),
        Rescaling rs => Rescale(rs, x, path),
        _ => Refuse(m, path, "no ONNX mapping"),
    };

    private static OnnxValue Refuse(Module m, string path, string why) =>
        throw new OnnxExportException($"layer '{(path.Length == 0 ? "<root>" : path)}' ({m.GetType().Name}) cannot be exported to ONNX: {why}");

    private static string Join(string path, string name) => path.Length == 0 ? name : path + "." + name;

    private static string Hint(string path) => path.Length == 0 ? "out" : path;

    private OnnxValue Chain(Sequential s, string path, OnnxValue x)
    {
        for (var i = 0; i < s.Count; i++) x = Emit(s[i], Join(path, s.Names[i]), x);
        return x;
    }

    // ---- layers ----

    private OnnxValue Conv(Conv2d c, string path, OnnxValue x)
    {
        var (top, bottom, left, right) = c.Padding.Resolve(x.Height, x.Width, c.KernelSize, c.Stride, c.Dilation);
        var inputs = new List<string> { x.Name, g.Weight(Join(path, "weight"), c.Weight.Value) };
        if (c.Bias is { } b) inputs.Add(g.Weight(Join(path, "bias"), b.Value));
        var y = g.Node("Conv", Hint(path), inputs,
            Ints("kernel_shape", c.KernelSize.H, c.KernelSize.W), Ints("strides", c.Stride.H, c.Stride.W),
            Ints("pads", top, left, bottom, right), Ints("dilations", c.Dilation.H, c.Dilation.W), Int("group", c.Groups));
        var h = (x.Height + top + bottom - (long)c.Dilation.H * (c.KernelSize.H - 1) - 1) / c.Stride.H + 1;
        var w = (x.Width + left + right - (long)c.Dilation.W * (c.KernelSize.W - 1) - 1) / c.Stride.W + 1;
        return Activate(c.Activation, new OnnxValue(y, new long[] { c.OutChannels, h, w }), path);
    }

    private OnnxValue BatchNormalization(BatchNorm bn, string path, OnnxValue x)
    {
        if (bn.RunningMean is not { } mean || bn.RunningVar is not { } variance)
            return Refuse(bn, path, "without running statistics it normalises with batch statistics even in eval mode");
        var n = bn.NumFeatures;
        var scale = bn.Weight is { } w ? g.Weight(Join(path, "weight"), w.Value) : g.Constant(Join(path, "weight"), Enumerable.Repeat(1f, n).ToArray(), new long[] { n });
        var bias = bn.Bias is { } b ? g.Weight(Join(path, "bias"), b.Value) : g.Constant(Join(path, "bias"), new float[n], new long[] { n });
        var y = g.Node("BatchNormalization", Hint(path),
            new[] { x.Name, scale, bias, g.Weight(Join(path, "running_mean"), mean), g.Weight(Join(path, "running_var"), variance) },
            Float("epsilon", bn.Eps));
        return x with { Name = y };
    }

    private OnnxValue Dense(Linear l, string path, OnnxValue x)
    {
        if (x.Shape.Length != 1) return Refuse(l, path, $"a dense layer on a [{string.Join(", ", x.Shape)}] input (flatten first) is not mapped");
        var inputs = new List<string> { x.Name, g.Weight(Join(path, "weight"), l.Weight.Value) };
        if (l.Bias is { } b) inputs.Add(g.Weight(Join(path, "bias"), b.Value));
        var y = g.Node("Gemm", Hint(path), inputs, Int("transB", 1));
        return Activate(l.Activation, new OnnxValue(y, new long[] { l.OutFeatures }), path);
    }

    private OnnxValue Pool(string op, string path, OnnxValue x, Size2 k, Size2 s, Size2 p, bool ceil, bool? countIncludePad)
    {
        var attrs = new List<Proto.AttributeProto>
        {
            Ints("kernel_shape", k.H, k.W), Ints("strides", s.H, s.W), Ints("pads", p.H, p.W, p.H, p.W), Int("ceil_mode", ceil ? 1 : 0),
        };
        if (countIncludePad is { } cip) attrs.Add(Int("count_include_pad", cip ? 1 : 0));
        var y = g.Node(op, Hint(path), new[] { x.Name }, attrs.ToArray());
        return new OnnxValue(y, new[] { x.Channels, PooledSize(x.Height, k.H, s.H, p.H, ceil), PooledSize(x.Width, k.W, s.W, p.W, ceil) });
    }

    /// <summary>PyTorch's pooling output size (a ceil-mode window must start inside the input or its left padding).</summary>
    private static long PooledSize(long size, int k, int s, int p, bool ceil)
    {
        var span = size + 2 * p - k;
        var o = (ceil ? (span + s - 1) / s : span / s) + 1;
        if (ceil && (o - 1) * s >= size + p) o--;
        return o;
    }

    private OnnxValue GlobalPool(OnnxValue x, string path) =>
        new(g.Node("GlobalAveragePool", Hint(path), new[] { x.Name }), new[] { x.Channels, 1L, 1L });

    private OnnxValue FlattenValue(OnnxValue x, string path) =>
        new(g.Node("Flatten", Hint(path) + "_flat", new[] { x.Name }, Int("axis", 1)), new[] { x.Shape.Aggregate(1L, (a, b) => a * b) });

    /// <summary>
    /// torch.nn.AdaptiveAvgPool2d: global pooling for 1×1, an AveragePool when the size divides evenly, otherwise
    /// the exact bin averages as two constant matrix products (rows, then columns), which ONNX has no single op for.
    /// </summary>
    private OnnxValue AdaptivePool(OnnxValue x, Size2 output, string path)
    {
        long oh = output.H, ow = output.W;
        if (oh == 1 && ow == 1) return GlobalPool(x, path);
        if (x.Height % oh == 0 && x.Width % ow == 0)
        {
            int kh = (int)(x.Height / oh), kw = (int)(x.Width / ow);
            return Pool("AveragePool", path, x, (kh, kw), (kh, kw), 0, false, true);
        }
        var right = g.Constant(Join(path, "cols"), BinMatrix(x.Width, ow, transpose: true), new[] { x.Width, ow });
        var left = g.Constant(Join(path, "rows"), BinMatrix(x.Height, oh, transpose: false), new[] { oh, x.Height });
        var byCols = g.Node("MatMul", Hint(path) + "_w", new[] { x.Name, right });
        var y = g.Node("MatMul", Hint(path), new[] { left, byCols });
        return new OnnxValue(y, new[] { x.Channels, oh, ow });
    }

    /// <summary>Averaging weights of adaptive pooling: bin i covers [floor(i·n/o), ceil((i+1)·n/o)).</summary>
    private static float[] BinMatrix(long n, long o, bool transpose)
    {
        var m = new float[n * o];
        for (long i = 0; i < o; i++)
        {
            var start = i * n / o;
            var end = ((i + 1) * n + o - 1) / o;
            for (var j = start; j < end; j++) m[transpose ? j * o + i : i * n + j] = 1f / (end - start);
        }
        return m;
    }

    private OnnxValue Concat(IReadOnlyList<OnnxValue> parts, string path)
    {
        var y = g.Node("Concat", Hint(path) + "_cat", parts.Select(p => p.Name), Int("axis", 1));
        var shape = (long[])parts[0].Shape.Clone();
        shape[0] = parts.Sum(p => p.Shape[0]);
        return new OnnxValue(y, shape);
    }

    private OnnxValue AddValues(OnnxValue a, OnnxValue b, string path) => a with { Name = g.Node("Add", Hint(path) + "_add", new[] { a.Name, b.Name }) };

    private OnnxValue Unary(string op, OnnxValue x, string path, params Proto.AttributeProto[] attributes) =>
        x with { Name = g.Node(op, Hint(path) + "_" + op.ToLowerInvariant(), new[] { x.Name }, attributes) };

    private OnnxValue Relu(OnnxValue x, string path) => Unary("Relu", x, path);

    private OnnxValue Activate(Activation a, OnnxValue x, string path) => a switch
    {
        Activation.None => x,
        Activation.Relu => Relu(x, path),
        Activation.Relu6 => x with { Name = g.Node("Clip", Hint(path) + "_relu6", new[] { x.Name, Scalar(path, "min", 0), Scalar(path, "max", 6) }) },
        Activation.LeakyRelu => Unary("LeakyRelu", x, path, Float("alpha", 0.01)),
        Activation.Gelu => Gelu(x, false, path),
        Activation.Silu => x with { Name = g.Node("Mul", Hint(path) + "_silu", new[] { x.Name, Unary("Sigmoid", x, path).Name }) },
        Activation.Tanh => Unary("Tanh", x, path),
        Activation.Sigmoid => Unary("Sigmoid", x, path),
        Activation.Softmax => Unary("Softmax", x, path, Int("axis", 1)),
        _ => throw new OnnxExportException($"layer '{path}': activation {a} has no ONNX mapping"),
    };

    private string Scalar(string path, string name, float value) => g.Constant(Join(path, name), new[] { value }, Array.Empty<long>());

    /// <summary>GELU from primitive ops (opset 17 has no Gelu): exact 0.5·x·(1 + erf(x/√2)), or the tanh approximation.</summary>
    private OnnxValue Gelu(OnnxValue x, bool tanh, string path)
    {
        string inner;
        if (!tanh)
        {
            var scaled = g.Node("Mul", Hint(path) + "_gelu_s", new[] { x.Name, Scalar(path, "inv_sqrt2", (float)(1 / Math.Sqrt(2))) });
            inner = g.Node("Erf", Hint(path) + "_gelu_erf", new[] { scaled });
        }
        else
        {
            var cube = g.Node("Mul", Hint(path) + "_gelu_x2", new[] { x.Name, x.Name });
            cube = g.Node("Mul", Hint(path) + "_gelu_x3", new[] { cube, x.Name });
            var c = g.Node("Mul", Hint(path) + "_gelu_c", new[] { cube, Scalar(path, "gelu_k", 0.044715f) });
            var sum = g.Node("Add", Hint(path) + "_gelu_sum", new[] { x.Name, c });
            var s = g.Node("Mul", Hint(path) + "_gelu_s", new[] { sum, Scalar(path, "sqrt_2_over_pi", (float)Math.Sqrt(2 / Math.PI)) });
            inner = g.Node("Tanh", Hint(path) + "_gelu_tanh", new[] { s });
        }
        var onePlus = g.Node("Add", Hint(path) + "_gelu_1p", new[] { inner, Scalar(path, "one", 1f) });
        var half = g.Node("Mul", Hint(path) + "_gelu_h", new[] { x.Name, Scalar(path, "half", 0.5f) });
        return x with { Name = g.Node("Mul", Hint(path) + "_gelu", new[] { half, onePlus }) };
    }

    private OnnxValue Rescale(Rescaling r, OnnxValue x, string path)
    {
        var y = g.Node("Mul", Hint(path) + "_scale", new[] { x.Name, Scalar(path, "scale", (float)r.Scale) });
        if (r.Offset != 0) y = g.Node("Add", Hint(path) + "_offset", new[] { y, Scalar(path, "offset", (float)r.Offset) });
        return x with { Name = y };
    }

    // ---- blocks and models with their own forward code ----

    private OnnxValue Residual(Module block, string path, OnnxValue x)
    {
        var bottleneck = block is Bottleneck;
        var y = x;
        var convs = bottleneck ? 3 : 2;
        for (var i = 1; i <= convs; i++)
        {
            y = Emit(block[$"conv{i}"], Join(path, $"conv{i}"), y);
            y = Emit(block[$"bn{i}"], Join(path, $"bn{i}"), y);
            if (i < convs) y = Relu(y, Join(path, $"relu{i}"));
        }
        var identity = block.HasModule("downsample") ? Emit(block["downsample"], Join(path, "downsample"), x) : x;
        return Relu(AddValues(y, identity, path), path);
    }

    private OnnxValue InvertedResidualBlock(InvertedResidual ir, string path, OnnxValue x)
    {
        var y = Emit(ir["conv"], Join(path, "conv"), x);
        return ir.UseResidual ? AddValues(x, y, path) : y;
    }

    /// <summary>
    /// The top-level model's penultimate features (what <c>IClassifierModel.ForwardFeatures</c> returns), for models
    /// that pool before a linear head (ResNet, MobileNetV2); null for others.
    /// </summary>
    public OnnxValue? Features { get; private set; }

    /// <summary>Global average pooling of the model's last map, then the pooled taps after it (<see cref="FeatureTaps"/>).</summary>
    private OnnxValue PooledFeatures(OnnxValue last, IReadOnlyList<OnnxValue> taps, string path)
    {
        var pooled = new List<OnnxValue> { FlattenValue(GlobalPool(last, Join(path, "pool")), Join(path, "pool")) };
        pooled.AddRange(taps.Select((t, i) => FlattenValue(GlobalPool(t, Join(path, $"tap{i}")), Join(path, $"tap{i}"))));
        var features = pooled.Count == 1 ? pooled[0] : Concat(pooled, Join(path, "features"));
        if (path.Length == 0) Features = features;
        return features;
    }

    private OnnxValue ResNetModel(ResNet r, string path, OnnxValue x)
    {
        foreach (var stem in new[] { "conv1", "bn1", "relu", "maxpool" }) x = Emit(r[stem], Join(path, stem), x);
        var taps = new List<OnnxValue>();
        for (var s = 1; s <= 4; s++)
        {
            x = Emit(r[$"layer{s}"], Join(path, $"layer{s}"), x);
            if (r.FeatureTapPaths.Contains($"layer{s}")) taps.Add(x);
        }
        return Emit(r["fc"], Join(path, "fc"), PooledFeatures(x, taps, path));
    }

    private OnnxValue MobileNet(MobileNetV2 m, string path, OnnxValue x)
    {
        var features = (Sequential)m["features"];
        var taps = new List<OnnxValue>();
        for (var i = 0; i < features.Count; i++)
        {
            var p = $"features.{features.Names[i]}";
            x = Emit(features[i], Join(path, p), x);
            if (m.FeatureTapPaths.Contains(p)) taps.Add(x);
        }
        return Emit(m["classifier"], Join(path, "classifier"), PooledFeatures(x, taps, path));
    }

    private OnnxValue VggModel(Vgg v, string path, OnnxValue x)
    {
        x = Emit(v["features"], Join(path, "features"), x);
        x = FlattenValue(Emit(v["avgpool"], Join(path, "avgpool"), x), Join(path, "avgpool"));
        return Emit(v["classifier"], Join(path, "classifier"), x);
    }

    private OnnxValue Inception(InceptionV3 m, string path, OnnxValue x)
    {
        // Eval mode: the auxiliary head is not computed and dropout is the identity.
        foreach (var (name, child) in m.NamedChildren())
        {
            if (name is "AuxLogits" or "fc" or "dropout") continue;
            x = Emit(child, Join(path, name), x);
            if (name == "avgpool") x = FlattenValue(x, Join(path, name));
        }
        return Emit(m["fc"], Join(path, "fc"), x);
    }

    private OnnxValue InceptionBlock(Module m, string path, OnnxValue x)
    {
        OnnxValue Run(OnnxValue input, params string[] names)
        {
            foreach (var n in names) input = Emit(m[n], Join(path, n), input);
            return input;
        }
        OnnxValue AvgPool3(OnnxValue input) => Pool("AveragePool", Join(path, "pool"), input, 3, 1, 1, false, true);
        OnnxValue MaxPool3(OnnxValue input) => Pool("MaxPool", Join(path, "pool"), input, 3, 2, 0, false, null);
        return m switch
        {
            InceptionA => Concat(new[]
            {
                Run(x, "branch1x1"), Run(x, "branch5x5_1", "branch5x5_2"), Run(x, "branch3x3dbl_1", "branch3x3dbl_2", "branch3x3dbl_3"),
                Run(AvgPool3(x), "branch_pool"),
            }, path),
            InceptionB => Concat(new[] { Run(x, "branch3x3"), Run(x, "branch3x3dbl_1", "branch3x3dbl_2", "branch3x3dbl_3"), MaxPool3(x) }, path),
            InceptionC => Concat(new[]
            {
                Run(x, "branch1x1"), Run(x, "branch7x7_1", "branch7x7_2", "branch7x7_3"),
                Run(x, "branch7x7dbl_1", "branch7x7dbl_2", "branch7x7dbl_3", "branch7x7dbl_4", "branch7x7dbl_5"), Run(AvgPool3(x), "branch_pool"),
            }, path),
            InceptionD => Concat(new[]
            {
                Run(x, "branch3x3_1", "branch3x3_2"), Run(x, "branch7x7x3_1", "branch7x7x3_2", "branch7x7x3_3", "branch7x7x3_4"), MaxPool3(x),
            }, path),
            _ => InceptionEBlock(x, Run, AvgPool3, path),
        };
    }

    private OnnxValue InceptionEBlock(OnnxValue x, Func<OnnxValue, string[], OnnxValue> run, Func<OnnxValue, OnnxValue> avgPool, string path)
    {
        var t = run(x, new[] { "branch3x3_1" });
        var d = run(x, new[] { "branch3x3dbl_1", "branch3x3dbl_2" });
        return Concat(new[]
        {
            run(x, new[] { "branch1x1" }),
            Concat(new[] { run(t, new[] { "branch3x3_2a" }), run(t, new[] { "branch3x3_2b" }) }, Join(path, "branch3x3")),
            Concat(new[] { run(d, new[] { "branch3x3dbl_3a" }), run(d, new[] { "branch3x3dbl_3b" }) }, Join(path, "branch3x3dbl")),
            run(avgPool(x), new[] { "branch_pool" }),
        }, path);
    }
}
