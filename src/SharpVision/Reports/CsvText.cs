namespace SharpVision.Reports;

/// <summary>CSV output helpers (RFC 4180 quoting).</summary>
public static class CsvText
{
    /// <summary>The field as is, or in double quotes (inner quotes doubled) when it holds a comma, a quote or a newline.</summary>
    public static string Quote(string field) =>
        field.IndexOfAny(new[] { ',', '"', '\n' }) < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
