namespace SharpVision.Models;

/// <summary>The names of <see cref="UnknownScoreKind"/> on the command line, in model files and in reports.</summary>
public static class UnknownScoreNames
{
    /// <summary>Every kind, in the order reports list them.</summary>
    public static IReadOnlyList<UnknownScoreKind> All { get; } = [UnknownScoreKind.MaxSoftmax, UnknownScoreKind.Energy, UnknownScoreKind.Mahalanobis,
        UnknownScoreKind.NearestNeighbour];

    /// <summary>"max-softmax", "energy", "mahalanobis" or "knn".</summary>
    public static string Name(UnknownScoreKind kind) => kind switch
    {
        UnknownScoreKind.MaxSoftmax => "max-softmax",
        UnknownScoreKind.Energy => "energy",
        UnknownScoreKind.Mahalanobis => "mahalanobis",
        UnknownScoreKind.NearestNeighbour => "knn",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown score kind"),
    };

    /// <summary>Whether <paramref name="kind"/> is computed from the penultimate features (not from the logits alone).</summary>
    public static bool NeedsFeatures(UnknownScoreKind kind) => kind is UnknownScoreKind.Mahalanobis or UnknownScoreKind.NearestNeighbour;

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
