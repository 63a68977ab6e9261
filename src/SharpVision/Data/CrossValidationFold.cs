using System.Globalization;

namespace SharpVision.Data;

/// <summary>
/// One fold of a stratified K-fold partition ("2/10": fold 2 of 10, numbered from 0). The folds of one seed are
/// disjoint and together cover every image, so results from several folds can be pooled image by image.
/// </summary>
public readonly record struct CrossValidationFold(int Index, int Count)
{
    /// <summary>Parses "K/N" (0 ≤ K &lt; N, N ≥ 2); the error names <paramref name="option"/> and what was wrong.</summary>
    public static CrossValidationFold Parse(string text, string option = "--val-fold")
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split('/');
        if (parts.Length != 2
            || !int.TryParse(parts[0].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            || !int.TryParse(parts[1].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var count))
            throw new ArgumentException($"{option}: expected K/N (fold K of N, counted from 0, e.g. 2/10), got '{text}'");
        if (count < 2) throw new ArgumentException($"{option}: N must be at least 2, got '{text}'");
        if (index >= count) throw new ArgumentException($"{option}: K must be below N (folds are 0…{count - 1}), got '{text}'");
        return new CrossValidationFold(index, count);
    }

    /// <summary>
    /// Parses several folds of one partition: "K/N", "K1,K2,…/N" or "all/N" (every fold). Repeated folds and folds of
    /// different N are refused; the result is in the order given.
    /// </summary>
    public static IReadOnlyList<CrossValidationFold> ParseSet(string text, string option = "--val-fold")
    {
        ArgumentNullException.ThrowIfNull(text);
        var slash = text.LastIndexOf('/');
        if (slash < 0) throw new ArgumentException($"{option}: expected K/N, K1,K2/N or all/N (folds counted from 0), got '{text}'");
        var countText = text[(slash + 1)..];
        var head = text[..slash].Trim();
        if (head.Equals("all", StringComparison.OrdinalIgnoreCase))
        {
            var all = Parse("0/" + countText, option);
            return Enumerable.Range(0, all.Count).Select(k => new CrossValidationFold(k, all.Count)).ToArray();
        }
        var folds = head.Split(',').Select(k => Parse(k + "/" + countText, option)).ToArray();
        if (folds.Distinct().Count() != folds.Length) throw new ArgumentException($"{option}: a fold is listed twice in '{text}'");
        return folds;
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Index}/{Count}";
}
