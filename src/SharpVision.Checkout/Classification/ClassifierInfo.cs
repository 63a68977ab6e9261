namespace SharpVision.Checkout;

/// <summary>What a loaded classifier recognises and how well it did on its evaluation set.</summary>
/// <param name="ModelName">A human-readable model name (shown on the staff page and by <c>GET /api/model</c>).</param>
/// <param name="Classes">The class names, in the model's output order; each must have a catalogue entry.</param>
/// <param name="InputHeight">The network's input height in pixels.</param>
/// <param name="InputWidth">The network's input width in pixels.</param>
/// <param name="Metrics">Evaluation figures (e.g. <c>accuracy</c>, <c>top3</c>), reported as they are.</param>
public sealed record ClassifierInfo(string ModelName, IReadOnlyList<string> Classes, int InputHeight, int InputWidth, IReadOnlyDictionary<string, double> Metrics);
