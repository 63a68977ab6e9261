namespace SharpVision.Checkout;

/// <summary>The model's classes and the catalogue's products differ, so the till refuses to start.</summary>
public sealed class CatalogueMismatchException : Exception
{
    /// <summary>Creates the exception from the classes on each side.</summary>
    public CatalogueMismatchException(string modelName, string catalogueSource, IReadOnlyList<string> missing, IReadOnlyList<string> extra)
        : base(BuildMessage(modelName, catalogueSource, missing, extra))
    {
        Missing = missing;
        Extra = extra;
    }

    /// <summary>Model classes that have no catalogue entry.</summary>
    public IReadOnlyList<string> Missing { get; }

    /// <summary>Catalogue entries for classes the model cannot recognise.</summary>
    public IReadOnlyList<string> Extra { get; }

    private static string BuildMessage(string modelName, string source, IReadOnlyList<string> missing, IReadOnlyList<string> extra)
    {
        var parts = new List<string>();
        if (missing.Count > 0) parts.Add($"model classes missing from the catalogue: {string.Join(", ", missing)}");
        if (extra.Count > 0) parts.Add($"extra catalogue classes the model does not know: {string.Join(", ", extra)}");
        return $"model '{modelName}' does not match catalogue {source}; {string.Join("; ", parts)}. " +
               "Every model class needs exactly one catalogue entry and vice versa.";
    }
}
