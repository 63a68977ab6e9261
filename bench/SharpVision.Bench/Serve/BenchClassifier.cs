using SharpVision.Checkout;

namespace SharpVision.Bench.Serve;

/// <summary>
/// A stand-in classifier for load tests when no trained model is at hand: it keys on the bytes (no decoding), flags
/// truncated PNG/JPEG files like a real decoder would, and can sleep per batch to mimic a forward pass.
/// </summary>
internal sealed class BenchClassifier(TimeSpan batchCost) : IImageClassifier
{
    private static readonly string[] Classes = ["cheesecake", "donuts", "ice_cream", "macarons", "pancakes"];

    public ClassifierInfo Info { get; } = new("bench-fake (keys on bytes)", Classes, 224, 224, new Dictionary<string, double>());

    public IReadOnlyList<ClassificationOutcome> ClassifyBatch(IReadOnlyList<EncodedImage> images, int topK)
    {
        if (batchCost > TimeSpan.Zero) Thread.Sleep(batchCost);
        return images.Select(img => Classify(img.Data, topK)).ToList();
    }

    private static ClassificationOutcome Classify(byte[] data, int topK)
    {
        var png = data.Length > 8 && data[0] == 0x89;
        if (png && (data.Length < 12 || !data.AsSpan(data.Length - 8, 4).SequenceEqual("IEND"u8)))
            return ClassificationOutcome.Failure("truncated PNG (no IEND chunk)");
        if (!png && (data.Length < 4 || data[^2] != 0xFF || data[^1] != 0xD9))
            return ClassificationOutcome.Failure("truncated JPEG (no end-of-image marker)");
        var hash = 17u;
        for (var i = 0; i < data.Length; i += 97) hash = hash * 31 + data[i];
        var best = (int)(hash % (uint)Classes.Length);
        var confident = hash % 4 != 0; // a quarter of photos come back unsure, as at a real till
        var top = new List<ClassProbability> { new(Classes[best], confident ? 0.9f : 0.45f) };
        for (var k = 1; k < topK; k++) top.Add(new(Classes[(best + k) % Classes.Length], (confident ? 0.1f : 0.55f) / (topK - 1) / k));
        return ClassificationOutcome.Success(top);
    }
}
