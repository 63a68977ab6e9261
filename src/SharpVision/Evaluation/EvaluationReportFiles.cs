namespace SharpVision.Evaluation;

/// <summary>What <see cref="EvaluationReport.Write"/> wrote.</summary>
/// <param name="Directory">The output folder.</param>
/// <param name="HtmlPath">report.html (self-contained).</param>
/// <param name="MetricsPath">metrics.json.</param>
/// <param name="Images">The PNG files, by file name.</param>
public sealed record EvaluationReportFiles(string Directory, string HtmlPath, string MetricsPath, IReadOnlyList<string> Images);
