using System.Globalization;
using SharpVision.Imaging;
using SharpVision.Inference;

namespace SharpVision.Checkout;

/// <summary>
/// The till's classifier backed by a trained SharpVision model file: decodes each upload (with the decompression-bomb
/// guard), resizes and normalises as in training, and runs the whole batch in one forward pass. Bad images become
/// per-image errors, never exceptions.
/// </summary>
public sealed class ModelImageClassifier : IImageClassifier, IDisposable
{
    private readonly IImagePredictor classifier;
    private readonly ImageDecodeOptions decodeOptions;

    /// <summary>Wraps a loaded classifier, on libtorch or ONNX Runtime (takes ownership).</summary>
    public ModelImageClassifier(IImagePredictor classifier, long maxPixels = 40_000_000)
    {
        this.classifier = classifier;
        var d = classifier.Descriptor;
        // JPEGs decode straight towards the model's input size (libjpeg's DCT scaling): a phone photo never exists at full size.
        decodeOptions = new ImageDecodeOptions { MaxPixels = maxPixels, TargetSize = Math.Max(d.InputHeight, d.InputWidth) };
        var metrics = new Dictionary<string, double>();
        foreach (var (k, v) in d.Training)
            if (double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var x)) metrics[k] = x;
        Info = new ClassifierInfo(d.Architecture, d.ClassNames, d.InputHeight, d.InputWidth, metrics);
    }

    /// <summary>Loads a model file.</summary>
    public static ModelImageClassifier Load(string path) => new(ImageClassifier.Load(path));

    /// <inheritdoc />
    public ClassifierInfo Info { get; }

    /// <inheritdoc />
    public IReadOnlyList<ClassificationOutcome> ClassifyBatch(IReadOnlyList<EncodedImage> images, int topK)
    {
        var outcomes = new ClassificationOutcome?[images.Count];
        var decoded = new List<RgbImage>();
        var positions = new List<int>();
        for (var i = 0; i < images.Count; i++)
        {
            try
            {
                decoded.Add(ImageDecoder.Decode(images[i].Data, images[i].Name, decodeOptions));
                positions.Add(i);
            }
            catch (InvalidImageException e)
            {
                outcomes[i] = ClassificationOutcome.Failure(e.Reason);
            }
        }
        if (decoded.Count > 0)
        {
            var results = classifier.Classify(decoded, topK);
            for (var j = 0; j < positions.Count; j++)
                outcomes[positions[j]] = ClassificationOutcome.Success(results[j].Top.Select(p => new ClassProbability(p.ClassName, p.Probability)).ToList(), results[j].Known);
        }
        return outcomes.Select(o => o!).ToList();
    }

    /// <inheritdoc />
    public void Dispose() => classifier.Dispose();
}
