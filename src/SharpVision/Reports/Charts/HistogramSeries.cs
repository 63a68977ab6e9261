namespace SharpVision.Reports.Charts;

/// <summary>One distribution of a <see cref="Histogram"/>.</summary>
/// <param name="Name">Legend text.</param>
/// <param name="Values">The samples (non-finite ones are ignored).</param>
/// <param name="Color">Bar colour; null picks the palette colour.</param>
public sealed record HistogramSeries(string Name, IReadOnlyList<double> Values, Color? Color = null);
