using System.Globalization;
using SharpVision.Imaging;
using SharpVision.Inference;

namespace SharpVision.Checkout;

/// <summary>
/// The till's classifier backed by a trained SharpVision model file: decodes each upload (with the decompression-bomb
/// guard), resizes and normalises as in training, and runs the whole batch in one forward pass. Bad images become
/// per-image errors, never exceptions. Memory is bounded: at most <see cref="MaxDecodes"/> photos are decoded at once
/// (a semaphore shared by every caller), at most one of them large (<see cref="LargeDecodeBytes"/>, judged from the
/// header), and each is brought to the model's input size straight after decoding, so a batch holds full-size pixels
/// for only those few photos, whatever their size.
/// </summary>
public sealed class ModelImageClassifier : IImageClassifier, IDisposable
{
    private readonly IImagePredictor classifier;
    private readonly ImageDecodeOptions decodeOptions;
    private readonly SemaphoreSlim decodes;
    private readonly SemaphoreSlim largeDecodes = new(1, 1);

    /// <summary>Wraps a loaded classifier, on libtorch or ONNX Runtime (takes ownership). <paramref name="maxDecodes"/> ≤ 0 means one per CPU core.</summary>
    public ModelImageClassifier(IImagePredictor classifier, long maxPixels = 40_000_000, int maxDecodes = 0)
    {
        this.classifier = classifier;
        MaxDecodes = maxDecodes > 0 ? maxDecodes : Environment.ProcessorCount;
        decodes = new SemaphoreSlim(MaxDecodes, MaxDecodes);
        var d = classifier.Descriptor;
        // JPEGs decode straight towards the model's input size (libjpeg's DCT scaling): a phone photo never exists at full size.
        decodeOptions = new ImageDecodeOptions { MaxPixels = maxPixels, TargetSize = Math.Max(d.InputHeight, d.InputWidth) };
        var metrics = new Dictionary<string, double>();
        foreach (var (k, v) in d.Training)
            if (double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var x)) metrics[k] = x;
        Info = new ClassifierInfo(d.Architecture, d.ClassNames, d.InputHeight, d.InputWidth, metrics);
    }

    /// <summary>Loads a model file.</summary>
    public static ModelImageClassifier Load(string path, int maxDecodes = 0) => new(ImageClassifier.Load(path), maxDecodes: maxDecodes);

    /// <summary>
    /// Photos whose decoded pixels take at least this much (32 MB, about 11 megapixels) are "large": only one is decoded
    /// at a time, beside up to <see cref="MaxDecodes"/> − 1 ordinary ones, and its memory is collected as soon as it is resized.
    /// </summary>
    public const long LargeDecodeBytes = 32L * 1024 * 1024;

    /// <summary>The most photos decoded at the same time.</summary>
    public int MaxDecodes { get; }

    /// <inheritdoc />
    public ClassifierInfo Info { get; }

    /// <inheritdoc />
    public IReadOnlyList<ClassificationOutcome> ClassifyBatch(IReadOnlyList<EncodedImage> images, int topK)
    {
        var outcomes = new ClassificationOutcome?[images.Count];
        var prepared = new RgbImage?[images.Count];
        Parallel.For(0, images.Count, new ParallelOptions { MaxDegreeOfParallelism = MaxDecodes }, i =>
        {
            decodes.Wait();
            var large = false;
            try
            {
                // The header says how big the pixels will be before any are allocated; huge photos decode one at a time.
                var info = ImageDecoder.ReadInfo(images[i].Data, images[i].Name, decodeOptions);
                large = (long)info.Width * info.Height * 3 >= LargeDecodeBytes;
                if (large) largeDecodes.Wait();
                // Down to the model's input at once: the full-size pixels die here, not at the end of the batch.
                prepared[i] = classifier.Preprocessor.Process(ImageDecoder.Decode(images[i].Data, images[i].Name, decodeOptions));
                // A huge photo's pixels are one large-object-heap array, and the GC's budget for that heap lets several
                // dead ones pile up before it collects (16 uploads of 6000×6000 grew the server by 1.3 GB), so give
                // each back at once; the collection is cheap next to decoding 100 MB of pixels.
                if (large) GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            }
            catch (InvalidImageException e)
            {
                outcomes[i] = ClassificationOutcome.Failure(e.Reason);
            }
            finally
            {
                if (large) largeDecodes.Release();
                decodes.Release();
            }
        });
        var positions = Enumerable.Range(0, images.Count).Where(i => prepared[i] is not null).ToList();
        var decoded = positions.Select(i => prepared[i]!).ToList();
        if (decoded.Count > 0)
        {
            var results = classifier.Classify(decoded, topK);
            for (var j = 0; j < positions.Count; j++)
                outcomes[positions[j]] = ClassificationOutcome.Success(results[j].Top.Select(p => new ClassProbability(p.ClassName, p.Probability)).ToList(), results[j].Known);
        }
        return outcomes.Select(o => o!).ToList();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        classifier.Dispose();
        decodes.Dispose();
        largeDecodes.Dispose();
    }
}
