namespace SharpVision.Checkout;

/// <summary>
/// The model behind the till. The app loads one instance at start-up and calls it from a single background thread
/// (the inference batcher), so an implementation need not be thread-safe.
/// </summary>
public interface IImageClassifier
{
    /// <summary>The model's name, classes, input size and metrics.</summary>
    ClassifierInfo Info { get; }

    /// <summary>
    /// Classifies a batch with one forward pass and returns one outcome per image, in order. Must not throw for a bad
    /// image: such an image gets an outcome with <see cref="ClassificationOutcome.Error"/> set.
    /// </summary>
    IReadOnlyList<ClassificationOutcome> ClassifyBatch(IReadOnlyList<EncodedImage> images, int topK);
}
