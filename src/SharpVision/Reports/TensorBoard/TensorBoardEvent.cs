namespace SharpVision.Reports.TensorBoard;

/// <summary>One decoded Event record of an event file.</summary>
/// <param name="WallTime">Seconds since the Unix epoch.</param>
/// <param name="Step">Global step.</param>
/// <param name="FileVersion">The file_version string (first record only).</param>
/// <param name="Values">The summary values (empty for the file-version record).</param>
public sealed record TensorBoardEvent(double WallTime, long Step, string? FileVersion, IReadOnlyList<SummaryValue> Values);
