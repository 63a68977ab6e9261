using System.Globalization;
using System.Text;
using SharpVision.Engine;
using SharpVision.Layers;

namespace SharpVision.Models;

/// <summary>
/// A Keras-style model summary: one row per layer (leaf module) in execution order with its output shape and
/// parameter count, plus total / trainable / non-trainable parameters. Shapes are found by one forward pass on zeros
/// (batch 1, eval mode, no grad) with forward hooks; the model's modes are restored afterwards. Parameter counts
/// follow PyTorch (BatchNorm running statistics are buffers, not parameters). Multiply-accumulates are counted for
/// convolutions and dense layers at batch 1, the convention of torchvision's GFLOPS figures and torchinfo's "mult-adds":
/// the work a latency figure is measured against.
/// </summary>
public sealed class ModelSummary
{
    private ModelSummary(string modelName, long[] inputShape, IReadOnlyList<SummaryRow> rows, long total, long trainable)
    {
        ModelName = modelName;
        InputShape = inputShape;
        Rows = rows;
        TotalParameters = total;
        TrainableParameters = trainable;
    }

    /// <summary>The model's display name.</summary>
    public string ModelName { get; }
    /// <summary>The probe input shape [1, C, H, W].</summary>
    public long[] InputShape { get; }
    /// <summary>The layers in execution order (layers that did not run come last, without a shape).</summary>
    public IReadOnlyList<SummaryRow> Rows { get; }
    /// <summary>All parameter scalars.</summary>
    public long TotalParameters { get; }
    /// <summary>Parameter scalars that require grad.</summary>
    public long TrainableParameters { get; }
    /// <summary>Multiply-accumulates of one forward pass at batch 1 (convolutions and dense layers; see <see cref="SummaryRow.MultAdds"/>).</summary>
    public long TotalMultAdds => Rows.Sum(r => r.MultAdds);
    /// <summary>Frozen parameter scalars.</summary>
    public long NonTrainableParameters => TotalParameters - TrainableParameters;
    /// <summary>Output shape of the model (batch 1).</summary>
    public long[]? OutputShape { get; private init; }

    /// <summary>Runs the probe pass and builds the summary.</summary>
    public static ModelSummary Create(Module model, int channels, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (channels < 1 || height < 1 || width < 1)
            throw new ArgumentOutOfRangeException(nameof(channels), $"input must be positive, got {channels}×{height}×{width}");

        var all = model.NamedModules().ToList();
        var layers = all.Where(m => !m.Module.NamedChildren().Any() || m.Module.DirectParameters().Any()).ToList();
        var pathOf = new Dictionary<Module, string>(ReferenceEqualityComparer.Instance);
        foreach (var (p, m) in layers) pathOf[m] = p;

        var calls = new List<(Module Module, long[] Shape)>();
        var hooks = layers.Select(l => l.Module.RegisterForwardHook((m, output) => calls.Add((m, output.Shape)))).ToList();
        var modes = all.Select(m => (m.Module, m.Module.Training)).ToList();
        var input = new long[] { 1, channels, height, width };
        long[] outShape;
        try
        {
            model.Eval();
            using var _ = Torch.NoGrad();
            using var x = Tensor.Zeros(input);
            try
            {
                using var y = model.Call(x);
                outShape = y.Shape;
            }
            catch (Exception e) when (e is TorchException or ArgumentException)
            {
                throw new ArgumentException($"{model.Name} cannot run on an input of {channels}×{height}×{width}: {e.Message}", nameof(height), e);
            }
        }
        finally
        {
            foreach (var h in hooks) h.Dispose();
            foreach (var (m, training) in modes) m.SetTrainingFlag(training);
        }

        var counters = new Dictionary<string, int>(StringComparer.Ordinal);
        var displayName = new Dictionary<Module, string>(ReferenceEqualityComparer.Instance);
        string NameOf(Module m)
        {
            if (displayName.TryGetValue(m, out var n)) return n;
            var k = counters.GetValueOrDefault(m.Name);
            counters[m.Name] = k + 1;
            return displayName[m] = k == 0 ? m.Name : $"{m.Name}_{k}";
        }

        var rows = new List<SummaryRow>();
        var counted = new HashSet<Module>(ReferenceEqualityComparer.Instance);
        foreach (var (m, shape) in calls) rows.Add(Row(m, shape));
        foreach (var (_, m) in layers) if (!counted.Contains(m)) rows.Add(Row(m, null));

        SummaryRow Row(Module m, long[]? shape)
        {
            var ps = m.DirectParameters().Select(p => p.Parameter).ToList();
            var first = counted.Add(m);
            bool? trainable = ps.Count == 0 ? null : ps.All(p => p.RequiresGrad);
            return new SummaryRow(NameOf(m), pathOf[m], m.GetType().Name, shape, first ? ps.Sum(p => p.NumberOfElements) : 0, trainable,
                shape is null ? 0 : MultAdds(m, shape));
        }

        return new ModelSummary(model.Name, input, rows, model.CountParameters(), model.CountParameters(trainableOnly: true)) { OutputShape = outShape };
    }

    /// <summary>
    /// Multiply-accumulates of one call of <paramref name="layer"/> that produced <paramref name="output"/>: each output
    /// element of a convolution sums (in/groups)·kh·kw products, of a dense layer in-features; a transposed convolution
    /// scatters each input element into (out/groups)·kh·kw outputs, and its input size follows from the output's.
    /// </summary>
    private static long MultAdds(Module layer, long[] output)
    {
        long Elements() => output.Aggregate(1L, (a, d) => a * d);
        switch (layer)
        {
            case Conv2d c:
                return Elements() * (c.InChannels / c.Groups) * c.KernelSize.H * c.KernelSize.W;
            case Linear l:
                return Elements() * l.InFeatures;
            case ConvTranspose2d t when output.Length == 4:
                long InputSize(long outSize, int stride, int padding, int outputPadding, int dilation, int kernel) =>
                    (outSize - 1 - outputPadding - dilation * (kernel - 1) + 2 * padding) / stride + 1;
                var h = InputSize(output[2], t.Stride.H, t.PaddingSize.H, t.OutputPadding.H, t.Dilation.H, t.KernelSize.H);
                var w = InputSize(output[3], t.Stride.W, t.PaddingSize.W, t.OutputPadding.W, t.Dilation.W, t.KernelSize.W);
                return output[0] * t.InChannels * h * w * (t.OutChannels / t.Groups) * t.KernelSize.H * t.KernelSize.W;
            default:
                return 0;
        }
    }

    /// <summary>The Keras-style table.</summary>
    public override string ToString()
    {
        var header = new[] { "Layer (type)", "Path", "Output Shape", "Param #" };
        var cells = Rows.Select(r => new[] { $"{r.Name} ({r.Type})", r.Path, r.ShapeText, Num(r.Parameters) }).ToList();
        var widths = new int[4];
        for (var i = 0; i < 4; i++) widths[i] = Math.Max(header[i].Length, cells.Count == 0 ? 0 : cells.Max(c => c[i].Length)) + 2;
        var total = widths.Sum() + 1;
        var sb = new StringBuilder();
        sb.AppendLine($"Model: \"{ModelName}\"  input: (None, {string.Join(", ", InputShape.Skip(1))})");
        sb.AppendLine(new string('_', total));
        sb.AppendLine(Line(header));
        sb.AppendLine(new string('=', total));
        for (var i = 0; i < cells.Count; i++)
        {
            sb.AppendLine(Line(cells[i]));
            sb.AppendLine(i == cells.Count - 1 ? new string('=', total) : "");
        }
        if (cells.Count == 0) sb.AppendLine(new string('=', total));
        sb.AppendLine($"Total params: {Num(TotalParameters)}");
        sb.AppendLine($"Trainable params: {Num(TrainableParameters)}");
        sb.AppendLine($"Non-trainable params: {Num(NonTrainableParameters)}");
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"Total mult-adds (G): {TotalMultAdds / 1e9:0.000}"));
        sb.Append(new string('_', total));
        return sb.ToString();

        string Line(string[] c) => " " + string.Concat(c.Select((s, i) => i == 3 ? s : s.PadRight(widths[i]))).TrimEnd();
    }

    private static string Num(long n) => n.ToString("#,0", CultureInfo.InvariantCulture);
}
