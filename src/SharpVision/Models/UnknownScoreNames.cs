namespace SharpVision.Models;

/// <summary>The names of <see cref="UnknownScoreKind"/> on the command line, in model files and in reports.</summary>
public static class UnknownScoreNames
{
    /// <summary>Every kind, in the order reports list them.</summary>
    public static IReadOnlyList<UnknownScoreKind> All { get; } = [UnknownScoreKind.MaxSoftmax, UnknownScoreKind.Energy, UnknownScoreKind.Mahalanobis];

    /// <summary>"max-softmax", "energy" or "mahalanobis".</summary>
    public static string Name(UnknownScoreKind kind) => kind switch
    {
        UnknownScoreKind.MaxSoftmax => "max-softmax",
        UnknownScoreKind.Energy => "energy",
        UnknownScoreKind.Mahalanobis => "mahalanobis",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown score kind"),
    };

    /// <summary>Parses a name given by <see cref="Name"/>; false for anything else.</summary>
    public static bool TryParse(string? text, out UnknownScoreKind kind)
    {
        foreach (var k in All)
        {
            if (string.Equals(Name(k), text?.Trim(), StringComparison.OrdinalIgnoreCase)) { kind = k; return true; }
        }
        kind = default;
        return false;
    }
}
