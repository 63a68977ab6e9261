namespace SharpVision.Checkout;

/// <summary>The result for one image of a batch: either the top-k classes (most probable first) or why the image was unusable.</summary>
/// <param name="TopK">The most probable classes, best first; null when <paramref name="Error"/> is set.</param>
/// <param name="Error">Why the image could not be classified (bad or truncated data, a decompression bomb), or null.</param>
public sealed record ClassificationOutcome(IReadOnlyList<ClassProbability>? TopK, string? Error)
{
    /// <summary>False when the model's calibrated open-set rejection says the image is none of its classes.</summary>
    public bool Known { get; init; } = true;

    /// <summary>An outcome for an image that could be classified (<paramref name="known"/>: whether it is one of the classes).</summary>
    public static ClassificationOutcome Success(IReadOnlyList<ClassProbability> topK, bool known = true) => new(topK, null) { Known = known };

    /// <summary>An outcome for an image that could not be used.</summary>
    public static ClassificationOutcome Failure(string error) => new(null, error);
}
