using SharpVision.Data;
using SharpVision.Engine;
using SharpVision.Imaging;
using SharpVision.Inference;
using SharpVision.Models;

namespace SharpVision.Onnx;

/// <summary>
/// Classifies photos with an ONNX model on ONNX Runtime, with the preprocessing its metadata names (or the
/// <see cref="OnnxOverrides"/> supply). Photos go from decoded pixels to probabilities without libtorch: resizing,
/// normalisation and softmax are C#, so serve can run where libtorch is absent.
/// </summary>
public sealed class OnnxImageClassifier : IImagePredictor
{
    private readonly OnnxSession session;
    private readonly bool outputsProbabilities;
    private readonly float[] mean;
    private readonly float[] std;

    private OnnxImageClassifier(OnnxSession session, ModelDescriptor descriptor, bool outputsProbabilities)
    {
        this.session = session;
        this.outputsProbabilities = outputsProbabilities;
        Descriptor = descriptor;
        Preprocessor = new ImagePreprocessor(descriptor.InputHeight, descriptor.InputWidth, descriptor.Resize);
        var n = descriptor.Normalization;
        var c = descriptor.InputChannels;
        if (n.Mean.Count != 1 && n.Mean.Count != c)
            throw new InvalidDataException($"{session.Path}: the normalisation has {n.Mean.Count} channel statistics but the model takes {c} channels");
        mean = Enumerable.Range(0, c).Select(i => (float)n.Mean[n.Mean.Count == 1 ? 0 : i]).ToArray();
        std = Enumerable.Range(0, c).Select(i => (float)n.Std[n.Std.Count == 1 ? 0 : i]).ToArray();
    }

    /// <summary>Opens an .onnx model.</summary>
    /// <param name="path">The file.</param>
    /// <param name="overrides">Classes, input size or normalisation for a file without SharpVision metadata.</param>
    /// <param name="threads">ONNX Runtime intra-op threads (null: $SHARPVISION_THREADS or all cores).</param>
    /// <exception cref="InvalidDataException">Corrupt, not ONNX, metadata missing (named), or an input size the graph fixes otherwise.</exception>
    public static OnnxImageClassifier Load(string path, OnnxOverrides? overrides = null, int? threads = null)
    {
        var session = OnnxSession.Open(path, threads);
        try
        {
            var dims = session.InputDimensions;
            var descriptor = OnnxMetadata.Read(session.Metadata, path, overrides, dims[1], out var probabilities);
            var wanted = new[] { descriptor.InputChannels, descriptor.InputHeight, descriptor.InputWidth };
            for (var i = 0; i < 3; i++)
            {
                if (dims[i + 1] > 0 && dims[i + 1] != wanted[i])
                    throw new InvalidDataException($"{path}: the graph fixes its input at {Dims(dims[1..])} but {string.Join("x", wanted)} was asked for (metadata or --input)");
            }
            return new OnnxImageClassifier(session, descriptor, probabilities);
        }
        catch
        {
            session.Dispose();
            throw;
        }

        static string Dims(int[] d) => string.Join("x", d.Select(v => v > 0 ? v.ToString(System.Globalization.CultureInfo.InvariantCulture) : "?"));
    }

    /// <inheritdoc />
    public ModelDescriptor Descriptor { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> ClassNames => Descriptor.ClassNames;

    /// <inheritdoc />
    public ImagePreprocessor Preprocessor { get; }

    /// <summary>The .onnx file.</summary>
    public string Path => session.Path;

    /// <inheritdoc />
    public float[][] PredictProbabilities(IReadOnlyList<RgbImage> images) => RawOutputs(images).Select(ToProbabilities).ToArray();

    private float[] ToProbabilities(float[] row) => outputsProbabilities ? row : Probabilities(row);

    /// <summary>The graph's output rows for photos: logits, or probabilities for a --softmax export.</summary>
    private float[][] RawOutputs(IReadOnlyList<RgbImage> images) =>
        images.Count == 0 ? Array.Empty<float[]>() : Outputs(Inputs(images), images.Count);

    /// <summary>The photos preprocessed and normalised into one flat NCHW float32 batch.</summary>
    private float[] Inputs(IReadOnlyList<RgbImage> images)
    {
        int h = Preprocessor.Height, w = Preprocessor.Width, plane = h * w;
        var rgb = new byte[3 * plane];
        var c = Descriptor.InputChannels;
        if (c is not (1 or 3)) throw new InvalidOperationException($"models with {c} input channels cannot take photos");
        var input = new float[images.Count * c * plane];
        for (var i = 0; i < images.Count; i++)
        {
            Preprocessor.ProcessToChw(images[i], rgb);
            var dst = input.AsSpan(i * c * plane, c * plane);
            if (c == 3) Normalize(rgb, dst, plane);
            else
            {
                // ITU-R BT.601 luma rounded to a byte, as ImageClassifier.ToBatch and the grayscale datasets do.
                var gray = new byte[plane];
                for (var p = 0; p < plane; p++)
                    gray[p] = (byte)Math.Clamp(MathF.Round(rgb[p] * 0.299f + rgb[plane + p] * 0.587f + rgb[2 * plane + p] * 0.114f), 0, 255);
                Normalize(gray, dst, plane);
            }
        }
        return input;
    }

    /// <inheritdoc />
    public float[][] PredictProbabilities(Tensor batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var shape = batch.Shape;
        var c = Descriptor.InputChannels;
        if (shape.Length != 4 || shape[1] != c || shape[2] != Preprocessor.Height || shape[3] != Preprocessor.Width)
            throw new ArgumentException($"expected a uint8 batch [N, {c}, {Preprocessor.Height}, {Preprocessor.Width}], got [{string.Join(", ", shape)}]");
        using var bytes = batch.DType == DType.UInt8 ? batch.Contiguous() : batch.To(DType.UInt8);
        var data = bytes.ToArray<byte>();
        var input = new float[data.Length];
        var plane = Preprocessor.Height * Preprocessor.Width;
        for (var i = 0; i < shape[0]; i++) Normalize(data.AsSpan(i * c * plane, c * plane), input.AsSpan(i * c * plane, c * plane), plane);
        return Score(input, (int)shape[0]);
    }

    /// <summary>(x / 255 − mean) / std per channel, in float32 like the libtorch pipeline.</summary>
    private void Normalize(ReadOnlySpan<byte> chw, Span<float> destination, int plane)
    {
        for (var ch = 0; ch < mean.Length; ch++)
        {
            float m = mean[ch], s = std[ch];
            var src = chw.Slice(ch * plane, plane);
            var dst = destination.Slice(ch * plane, plane);
            for (var p = 0; p < plane; p++) dst[p] = (src[p] / 255f - m) / s;
        }
    }

    /// <summary>Runs the graph and turns its scores into probability rows (softmax; sigmoid → [1 − p, p] for one unit).</summary>
    private float[][] Score(float[] input, int count) => Outputs(input, count).Select(ToProbabilities).ToArray();

    /// <summary>The graph's output rows as they are: logits, or probabilities for a --softmax export.</summary>
    private float[][] Outputs(float[] input, int count)
    {
        var (scores, k) = session.Run(input, count, Descriptor.InputChannels, Preprocessor.Height, Preprocessor.Width);
        return Rows(scores, k, count);
    }

    private static float[][] Rows(float[] flat, int columns, int count)
    {
        var result = new float[count][];
        for (var i = 0; i < count; i++) result[i] = flat.AsSpan(i * columns, columns).ToArray();
        return result;
    }

    /// <summary>
    /// The top <paramref name="k"/> classes and, when the export carries a calibrated detector, whether each photo is
    /// one of the classes. A feature score (k-NN, Mahalanobis) reads the graph's "features" output, which `export`
    /// adds for it; a graph without one (an older export) applies the energy threshold calibrated at the same time,
    /// and a --softmax export the max-softmax threshold.
    /// </summary>
    public IReadOnlyList<Classification> Classify(IReadOnlyList<RgbImage> images, int k = 3)
    {
        var detector = Descriptor.Unknown;
        var (kind, threshold) = detector is null ? (UnknownScoreKind.MaxSoftmax, double.NaN) : UsableScore(detector);
        float[][] outputs;
        float[][]? features = null;
        if (images.Count > 0 && UnknownScoreNames.NeedsFeatures(kind))
        {
            var ((scores, columns), (values, d)) = session.RunWithFeatures(Inputs(images), images.Count, Descriptor.InputChannels, Preprocessor.Height, Preprocessor.Width);
            outputs = Rows(scores, columns, images.Count);
            features = Rows(values, d, images.Count);
        }
        else outputs = RawOutputs(images);
        var probabilities = outputs.Select(ToProbabilities).ToArray();
        var result = new Classification[images.Count];
        for (var i = 0; i < images.Count; i++)
        {
            var top = ((IImagePredictor)this).TopK(probabilities[i], k);
            if (detector is null || double.IsNaN(threshold)) { result[i] = new Classification(top, true, null); continue; }
            // Energy needs the logits; max-softmax reads the same from log-probabilities as from logits.
            var logits = outputsProbabilities ? probabilities[i].Select(p => MathF.Log(Math.Max(p, 1e-30f))).ToArray() : outputs[i];
            var score = detector.Score(kind, logits, features is null ? default : features[i]);
            result[i] = new Classification(top, score <= threshold, score);
        }
        return result;
    }

    private (UnknownScoreKind Kind, double Threshold) UsableScore(UnknownDetector detector)
    {
        if (outputsProbabilities)
            return (UnknownScoreKind.MaxSoftmax, detector.Kind == UnknownScoreKind.MaxSoftmax ? detector.Threshold
                : detector.Thresholds.TryGetValue(UnknownScoreKind.MaxSoftmax, out var m) ? m : double.NaN);
        if (!UnknownScoreNames.NeedsFeatures(detector.Kind) || session.HasFeatures) return (detector.Kind, detector.Threshold);
        return (UnknownScoreKind.Energy, detector.Thresholds.TryGetValue(UnknownScoreKind.Energy, out var e) ? e : double.NaN);
    }

    /// <summary>Softmax of one row of logits (two-class sigmoid rows for a single unit), computed in float64.</summary>
    internal static float[] Probabilities(ReadOnlySpan<float> logits)
    {
        if (logits.Length == 1)
        {
            var p = 1 / (1 + Math.Exp(-logits[0]));
            return new[] { (float)(1 - p), (float)p };
        }
        double max = double.NegativeInfinity, sum = 0;
        foreach (var v in logits) max = Math.Max(max, v);
        var e = new double[logits.Length];
        for (var i = 0; i < e.Length; i++) sum += e[i] = Math.Exp(logits[i] - max);
        return e.Select(v => (float)(v / sum)).ToArray();
    }

    /// <summary>Frees the session.</summary>
    public void Dispose() => session.Dispose();
}
