using System.Globalization;
using SharpVision.Engine;

namespace SharpVision.Data;

/// <summary>
/// Turns uint8 NCHW batches into normalised float32 batches on whatever device the batch is on:
/// out = (x / 255 − mean[c]) / std[c]. Serialisable to a string map so that a model file carries the
/// normalisation it was trained with.
/// </summary>
public sealed class Normalization
{
    private static readonly double[] ImageNetMean = { 0.485, 0.456, 0.406 };
    private static readonly double[] ImageNetStd = { 0.229, 0.224, 0.225 };

    private const string ModeKey = "normalization.mode";
    private const string MeanKey = "normalization.mean";
    private const string StdKey = "normalization.std";

    private Normalization(NormalizationMode mode, double[] mean, double[] std)
    {
        if (mean.Length != std.Length || mean.Length == 0) throw new ArgumentException($"mean ({mean.Length}) and std ({std.Length}) need the same, non-zero length");
        foreach (var s in std)
            if (!(s > 0) || double.IsInfinity(s)) throw new ArgumentException($"std values must be positive and finite, got {s}");
        Mode = mode;
        Mean = mean;
        Std = std;
    }

    /// <summary>The mode.</summary>
    public NormalizationMode Mode { get; }

    /// <summary>Per-channel mean on the 0–1 scale (one value applies to every channel).</summary>
    public IReadOnlyList<double> Mean { get; }

    /// <summary>Per-channel standard deviation on the 0–1 scale.</summary>
    public IReadOnlyList<double> Std { get; }

    /// <summary>x / 255.</summary>
    public static Normalization Unit { get; } = new(NormalizationMode.Unit, new[] { 0.0 }, new[] { 1.0 });

    /// <summary>x / 127.5 − 1.</summary>
    public static Normalization MinusOneToOne { get; } = new(NormalizationMode.MinusOneToOne, new[] { 0.5 }, new[] { 0.5 });

    /// <summary>ImageNet mean/std (3 channels).</summary>
    public static Normalization ImageNet { get; } = new(NormalizationMode.ImageNet, ImageNetMean, ImageNetStd);

    /// <summary>The normalisation of a mode that needs no fitting.</summary>
    public static Normalization For(NormalizationMode mode) => mode switch
    {
        NormalizationMode.Unit => Unit,
        NormalizationMode.MinusOneToOne => MinusOneToOne,
        NormalizationMode.ImageNet => ImageNet,
        _ => throw new ArgumentException("featurewise normalisation must be fitted: use Normalization.FitFeaturewise", nameof(mode)),
    };

    /// <summary>Featurewise normalisation with given per-channel statistics (0–1 scale).</summary>
    public static Normalization Featurewise(IReadOnlyList<double> mean, IReadOnlyList<double> std) =>
        new(NormalizationMode.Featurewise, mean.ToArray(), std.ToArray());

    /// <summary>
    /// Fits per-channel mean and standard deviation over every pixel the loader yields in one pass (use a loader
    /// over the training set without augmentation). Sums are accumulated in float64.
    /// </summary>
    public static Normalization FitFeaturewise(DataLoader loader)
    {
        ArgumentNullException.ThrowIfNull(loader);
        double[]? sum = null, sumSq = null;
        long pixels = 0;
        foreach (var batch in loader)
        {
            using (batch)
            using (Torch.NewDisposeScope())
            {
                var x = batch.Inputs.To(DType.Float64);
                var s = x.Sum(new long[] { 0, 2, 3 }).ToArray<double>();
                var q = (x * x).Sum(new long[] { 0, 2, 3 }).ToArray<double>();
                sum ??= new double[s.Length];
                sumSq ??= new double[s.Length];
                for (var c = 0; c < s.Length; c++) { sum[c] += s[c]; sumSq[c] += q[c]; }
                var shape = batch.Inputs.Shape;
                pixels += shape[0] * shape[2] * shape[3];
            }
        }
        if (sum is null || sumSq is null || pixels == 0) throw new InvalidOperationException("cannot fit featurewise normalisation: the loader yielded no images");
        var mean = new double[sum.Length];
        var std = new double[sum.Length];
        for (var c = 0; c < sum.Length; c++)
        {
            var m = sum[c] / pixels;
            var variance = Math.Max(sumSq[c] / pixels - m * m, 0);
            mean[c] = m / 255;
            std[c] = Math.Max(Math.Sqrt(variance) / 255, 1e-6); // a constant channel must not divide by zero
        }
        return Featurewise(mean, std);
    }

    /// <summary>
    /// Normalises a uint8 or float (0–255) NCHW batch into a new float32 tensor on the same device. Throws when the
    /// statistics have 3 channels and the batch another number.
    /// </summary>
    public Tensor Apply(Tensor images)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.Dim != 4) throw new ArgumentException($"expected an NCHW batch, got shape [{string.Join(", ", images.Shape)}]");
        var channels = images.Shape[1];
        if (Mean.Count != 1 && Mean.Count != channels)
            throw new ArgumentException($"{Mode} normalisation has {Mean.Count} channel statistics, the batch has {channels} channels");
        using var scope = Torch.NewDisposeScope();
        var x = images.To(DType.Float32);
        Tensor result;
        if (Mean.Count == 1)
        {
            result = x * (1.0 / (255 * Std[0])) + (-Mean[0] / Std[0]);
        }
        else
        {
            var scale = new float[Mean.Count];
            var shift = new float[Mean.Count];
            for (var c = 0; c < scale.Length; c++)
            {
                scale[c] = (float)(1.0 / (255 * Std[c]));
                shift[c] = (float)(-Mean[c] / Std[c]);
            }
            var device = images.Device;
            var s = Tensor.FromArray(scale, 1, scale.Length, 1, 1).To(device);
            var b = Tensor.FromArray(shift, 1, shift.Length, 1, 1).To(device);
            result = x * s + b;
        }
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>The normalisation as string pairs (mode, mean, std) for model metadata.</summary>
    public IReadOnlyDictionary<string, string> ToMap() => new Dictionary<string, string>
    {
        [ModeKey] = Mode.ToString(),
        [MeanKey] = string.Join(",", Mean.Select(v => v.ToString("R", CultureInfo.InvariantCulture))),
        [StdKey] = string.Join(",", Std.Select(v => v.ToString("R", CultureInfo.InvariantCulture))),
    };

    /// <summary>Reads a normalisation written by <see cref="ToMap"/>; throws naming the bad key.</summary>
    public static Normalization FromMap(IReadOnlyDictionary<string, string> map)
    {
        ArgumentNullException.ThrowIfNull(map);
        if (!map.TryGetValue(ModeKey, out var modeText)) throw new FormatException($"normalisation metadata lacks '{ModeKey}'");
        if (!Enum.TryParse<NormalizationMode>(modeText, ignoreCase: true, out var mode) || !Enum.IsDefined(mode))
            throw new FormatException($"'{ModeKey}' = '{modeText}' is not one of {string.Join(", ", Enum.GetNames<NormalizationMode>())}");
        if (mode != NormalizationMode.Featurewise) return For(mode);
        return Featurewise(ParseList(map, MeanKey), ParseList(map, StdKey));
    }

    private static double[] ParseList(IReadOnlyDictionary<string, string> map, string key)
    {
        if (!map.TryGetValue(key, out var text)) throw new FormatException($"normalisation metadata lacks '{key}'");
        try
        {
            return text.Split(',').Select(s => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray();
        }
        catch (FormatException e)
        {
            throw new FormatException($"'{key}' = '{text}' is not a comma-separated list of numbers", e);
        }
    }

    /// <inheritdoc />
    public override string ToString() => Mode is NormalizationMode.Unit or NormalizationMode.MinusOneToOne
        ? Mode.ToString()
        : $"{Mode} (mean {string.Join("/", Mean.Select(v => v.ToString("0.###", CultureInfo.InvariantCulture)))}, std {string.Join("/", Std.Select(v => v.ToString("0.###", CultureInfo.InvariantCulture)))})";
}
