namespace SharpVision.Inference;

/// <summary>The answer for one photo: the most likely classes and whether the photo looks like any class at all.</summary>
/// <param name="Top">The most likely classes, best first.</param>
/// <param name="Known">False when the model's calibrated open-set score calls the photo "unknown"; always true for an uncalibrated model.</param>
/// <param name="UnknownScore">The open-set score (higher = less like any class), or null for an uncalibrated model.</param>
public sealed record Classification(IReadOnlyList<Prediction> Top, bool Known, double? UnknownScore);
