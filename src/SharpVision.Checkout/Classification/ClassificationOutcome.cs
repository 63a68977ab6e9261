namespace SharpVision.Checkout;

/// <summary>The result for one image of a batch: either the top-k classes (most probable first) or why the image was unusable.</summary>
/// <param name="TopK">The most probable classes, best first; null when <paramref name="Error"/> is set.</param>
/// <param name="Error">Why the image could not be classified (bad or truncated data, a decompression bomb), or null.</param>
public sealed record ClassificationOutcome(IReadOnlyList<ClassProbability>? TopK, string? Error)
{
    /// <summary>An outcome for an image that could be classified.</summary>
    public static ClassificationOutcome Success(IReadOnlyList<ClassProbability> topK) => new(topK, null);

    /// <summary>An outcome for an image that could not be used.</summary>
    public static ClassificationOutcome Failure(string error) => new(null, error);
}
