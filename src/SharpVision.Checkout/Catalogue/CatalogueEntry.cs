namespace SharpVision.Checkout;

/// <summary>A product the till sells: the model class it is recognised as, its display name and unit price.</summary>
/// <param name="Class">The model class name (e.g. <c>donuts</c>).</param>
/// <param name="Name">The product name shown to customers (e.g. <c>Donut</c>).</param>
/// <param name="Price">The unit price in <paramref name="Currency"/>.</param>
/// <param name="Currency">The ISO 4217 currency code (e.g. <c>HUF</c>).</param>
public sealed record CatalogueEntry(string Class, string Name, decimal Price, string Currency);
