using SharpVision.Data;
using SharpVision.Engine;
using SharpVision.Imaging;
using SharpVision.Layers;
using SharpVision.Models;

namespace SharpVision.Inference;

/// <summary>One class and its probability.</summary>
/// <param name="ClassIndex">Index into the model's classes.</param>
/// <param name="ClassName">The class name.</param>
/// <param name="Probability">Softmax probability (sigmoid for a single-output binary model).</param>
public readonly record struct Prediction(int ClassIndex, string ClassName, float Probability);

/// <summary>
/// A trained model ready to classify photos: resizes and normalises exactly as in training (from the model file's
/// descriptor), runs the network in eval mode without autograd, and returns class probabilities.
/// </summary>
public sealed class ImageClassifier : IImagePredictor
{
    private readonly StandardInputPipeline pipeline;
    private readonly Generator unusedRng = new(0);

    /// <summary>Wraps a model and its descriptor (the classifier takes ownership of the model).</summary>
    public ImageClassifier(Module model, ModelDescriptor descriptor, Device? device = null)
    {
        Model = model;
        Descriptor = descriptor;
        Device = device ?? Device.Cpu;
        Preprocessor = new ImagePreprocessor(descriptor.InputHeight, descriptor.InputWidth, descriptor.Resize);
        pipeline = new StandardInputPipeline(Device, descriptor.Normalization);
        Model.Eval();
    }

    /// <summary>Loads a model file.</summary>
    public static ImageClassifier Load(string path, Device? device = null)
    {
        var (model, descriptor) = ModelFile.Load(path, device);
        return new ImageClassifier(model, descriptor, device);
    }

    /// <summary>
    /// Loads a model file to run at another input size than it was trained at (FixRes: a network trained on random
    /// resized crops sees objects larger than in plain test images, and often scores higher at a somewhat larger test
    /// resolution). Only networks that pool globally can do this; others are refused with the reason.
    /// </summary>
    /// <exception cref="UnsupportedInputSizeException">The network cannot run at that size (e.g. a flatten + dense head).</exception>
    public static ImageClassifier Load(string path, int inputHeight, int inputWidth, Device? device = null)
    {
        if (inputHeight < 1 || inputWidth < 1) throw new ArgumentOutOfRangeException(nameof(inputHeight), $"input size must be positive, got {inputHeight}×{inputWidth}");
        var (model, descriptor) = ModelFile.Load(path, device);
        var resized = descriptor with { InputHeight = inputHeight, InputWidth = inputWidth };
        try
        {
            using var scope = Torch.NewDisposeScope();
            using var noGrad = Torch.NoGrad();
            model.Eval();
            using var probe = Tensor.Zeros(new long[] { 1, descriptor.InputChannels, inputHeight, inputWidth }, DType.Float32, device ?? Device.Cpu);
            model.Call(probe);
        }
        catch (Exception e) when (e is TorchException or ArgumentException)
        {
            model.Dispose();
            throw new UnsupportedInputSizeException($"{path}: {descriptor.Architecture} was trained at {descriptor.InputHeight}×{descriptor.InputWidth} and cannot run at " +
                $"{inputHeight}×{inputWidth} (its layers depend on the input size): {e.Message.Split('\n')[0]}", e);
        }
        return new ImageClassifier(model, resized, device);
    }

    /// <summary>The network.</summary>
    public Module Model { get; }

    /// <summary>What the model file says about the model.</summary>
    public ModelDescriptor Descriptor { get; }

    /// <summary>Where the network runs.</summary>
    public Device Device { get; }

    /// <summary>Resizing to the model's input.</summary>
    public ImagePreprocessor Preprocessor { get; }

    /// <summary>Class names in output order.</summary>
    public IReadOnlyList<string> ClassNames => Descriptor.ClassNames;

    /// <summary>Resizes and stacks images into a uint8 NCHW batch (grayscale models get one channel).</summary>
    public Tensor ToBatch(IReadOnlyList<RgbImage> images)
    {
        var c = Descriptor.InputChannels;
        var h = Preprocessor.Height;
        var w = Preprocessor.Width;
        var buffer = new byte[images.Count * 3 * h * w];
        for (var i = 0; i < images.Count; i++) Preprocessor.ProcessToChw(images[i], buffer.AsSpan(i * 3 * h * w, 3 * h * w));
        using var rgb = Tensor.FromArray(buffer, images.Count, 3, h, w);
        if (c == 3) return rgb.Alias();
        if (c != 1) throw new InvalidOperationException($"models with {c} input channels cannot take photos");
        // ITU-R BT.601 luma, as the grayscale datasets were made.
        using var f = rgb.To(DType.Float32);
        using var weights = Tensor.FromArray(new[] { 0.299f, 0.587f, 0.114f }, 1, 3, 1, 1);
        using var weighted = f * weights;
        using var gray = weighted.Sum(new long[] { 1 }, keepDim: true);
        using var rounded = gray.Round();
        return rounded.Clamp(0, 255).To(DType.UInt8);
    }

    /// <summary>Class probabilities [N, C] for a prepared uint8 NCHW batch.</summary>
    public float[][] PredictProbabilities(Tensor batch)
    {
        using var scope = Torch.NewDisposeScope();
        using var noGrad = Torch.NoGrad();
        var x = pipeline.Prepare(batch, training: false, unusedRng);
        var logits = Model.Call(x);
        Tensor probs;
        if (logits.Shape[1] == 1)
        {
            var p1 = logits.Sigmoid();
            probs = Tensor.Cat(new[] { 1 - p1, p1 }, 1);
        }
        else probs = logits.Softmax(1);
        var flat = probs.To(DType.Float32).ToArray<float>();
        var n = (int)probs.Shape[0];
        var classes = (int)probs.Shape[1];
        var result = new float[n][];
        for (var i = 0; i < n; i++) result[i] = flat.AsSpan(i * classes, classes).ToArray();
        return result;
    }

    /// <summary>
    /// Logits and (for <see cref="IClassifierModel"/>s) the penultimate features of a prepared uint8 NCHW batch, from one
    /// forward pass: the features go through the model's own head, so the logits equal a plain forward pass in eval mode.
    /// </summary>
    public ClassifierOutputs PredictOutputs(Tensor batch)
    {
        using var scope = Torch.NewDisposeScope();
        using var noGrad = Torch.NoGrad();
        var x = pipeline.Prepare(batch, training: false, unusedRng);
        if (Model is IClassifierModel withFeatures)
        {
            var features = withFeatures.ForwardFeatures(x);
            return new ClassifierOutputs(Rows(withFeatures.ForwardHead(features)), Rows(features));
        }
        return new ClassifierOutputs(Rows(Model.Call(x)), null);
    }

    private static float[][] Rows(Tensor t)
    {
        var flat = t.To(DType.Float32).Contiguous().ToArray<float>();
        var n = (int)t.Shape[0];
        var width = n == 0 ? 0 : flat.Length / n;
        var rows = new float[n][];
        for (var i = 0; i < n; i++) rows[i] = flat.AsSpan(i * width, width).ToArray();
        return rows;
    }

    /// <summary>
    /// The top <paramref name="k"/> classes of each photo and, when the model file carries a calibrated
    /// <see cref="ModelDescriptor.Unknown"/> detector, whether the photo is one of the classes at all.
    /// </summary>
    public IReadOnlyList<Classification> Classify(IReadOnlyList<RgbImage> images, int k = 3)
    {
        if (images.Count == 0) return Array.Empty<Classification>();
        using var batch = ToBatch(images);
        var outputs = PredictOutputs(batch);
        var detector = Descriptor.Unknown;
        var result = new Classification[images.Count];
        for (var i = 0; i < images.Count; i++)
        {
            var top = TopK(Softmax(outputs.Logits[i]), k);
            if (detector is null) { result[i] = new Classification(top, true, null); continue; }
            var score = detector.Score(outputs.Logits[i], outputs.Features is null ? default : outputs.Features[i]);
            result[i] = new Classification(top, detector.IsKnown(score), score);
        }
        return result;
    }

    /// <summary>Probabilities of one logit row: softmax, or [1 − σ, σ] for a single-output binary model.</summary>
    public static float[] Softmax(ReadOnlySpan<float> logits)
    {
        if (logits.Length == 1)
        {
            var p = 1 / (1 + Math.Exp(-logits[0]));
            return [(float)(1 - p), (float)p];
        }
        double max = float.NegativeInfinity;
        foreach (var z in logits) max = Math.Max(max, z);
        var e = new double[logits.Length];
        double sum = 0;
        for (var i = 0; i < logits.Length; i++) sum += e[i] = Math.Exp(logits[i] - max);
        return e.Select(v => (float)(v / sum)).ToArray();
    }

    /// <summary>Class probabilities for photos (one row per image).</summary>
    public float[][] PredictProbabilities(IReadOnlyList<RgbImage> images)
    {
        if (images.Count == 0) return Array.Empty<float[]>();
        using var batch = ToBatch(images);
        return PredictProbabilities(batch);
    }

    /// <summary>The <paramref name="k"/> most likely classes of each photo, most likely first.</summary>
    public IReadOnlyList<Prediction>[] Predict(IReadOnlyList<RgbImage> images, int k = 3) =>
        PredictProbabilities(images).Select(p => TopK(p, k)).ToArray();

    /// <summary>The k most likely classes of one probability row.</summary>
    public IReadOnlyList<Prediction> TopK(float[] probabilities, int k) => IImagePredictor.Rank(ClassNames, probabilities, k);

    /// <summary>Frees the model.</summary>
    public void Dispose()
    {
        Model.Dispose();
        unusedRng.Dispose();
    }
}
