using System.Text;

namespace SharpVision.Checkout;

/// <summary>A small RFC 4180 reader: comma-separated, double-quoted fields with "" escapes, CRLF or LF line ends.</summary>
internal static class CsvReader
{
    public static List<List<string>> Parse(string text)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var field = new StringBuilder();
        var inQuotes = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (inQuotes)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') inQuotes = false;
                else field.Append(c);
            }
            else if (c == '"') inQuotes = true;
            else if (c == ',') { row.Add(field.ToString()); field.Clear(); }
            else if (c == '\n' || c == '\r')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
                row.Add(field.ToString()); field.Clear();
                rows.Add(row); row = [];
            }
            else field.Append(c);
        }
        if (field.Length > 0 || row.Count > 0) { row.Add(field.ToString()); rows.Add(row); }
        // Drop trailing blank lines.
        while (rows.Count > 0 && rows[^1] is [""]) rows.RemoveAt(rows.Count - 1);
        return rows;
    }

    /// <summary>
    /// Quotes a field for CSV output. A field that a spreadsheet could run as a formula — one starting with =, +, -, @,
    /// a tab or a carriage return, or with any of =, +, -, @ after leading whitespace — is prefixed with ' (OWASP).
    /// </summary>
    public static string Quote(string value)
    {
        if (LooksLikeFormula(value)) value = "'" + value;
        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
    }

    private static bool LooksLikeFormula(string value)
    {
        if (value.Length == 0) return false;
        if (value[0] is '\t' or '\r') return true;
        var first = value.TrimStart();
        return first.Length > 0 && first[0] is '=' or '+' or '-' or '@';
    }
}
