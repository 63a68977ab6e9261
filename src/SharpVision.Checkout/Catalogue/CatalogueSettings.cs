namespace SharpVision.Checkout;

/// <summary>Who sells: the business details printed on every receipt (the catalogue's <c>settings</c> object).</summary>
/// <param name="BusinessName">The trading name on the receipt.</param>
/// <param name="Address">The shop's address, or null.</param>
/// <param name="TaxId">The tax number (e.g. a Hungarian adószám or an EU VAT id), or null.</param>
/// <param name="VatRatePercent">The VAT rate included in the prices (27 for 27%), or null when the receipt shows none.</param>
public sealed record CatalogueSettings(string BusinessName, string? Address = null, string? TaxId = null, decimal? VatRatePercent = null)
{
    /// <summary>The defaults of the built-in catalogue and of CSV catalogues (which have no settings).</summary>
    public static CatalogueSettings Default { get; } = new("SharpVision café");
}
