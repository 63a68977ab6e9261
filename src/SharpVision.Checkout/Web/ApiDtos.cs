using System.Text.Json.Serialization;

namespace SharpVision.Checkout;

// The JSON shapes of the API (camelCase on the wire). Kept together because they only mirror domain records.

internal sealed record ProductDto(string Class, string Name, decimal Price, string Currency)
{
    public static ProductDto From(CatalogueEntry e) => new(e.Class, e.Name, e.Price, e.Currency);
}

internal sealed record PredictionDto(string Class, float Probability, ProductDto? Product);

internal sealed record ClassifyResponse(string Image, IReadOnlyList<PredictionDto> Predictions, PredictionDto Best, bool NeedsConfirmation,
    double Threshold, string Model, bool Known = true);

internal sealed record OrderLineDto(string Class, string Name, decimal UnitPrice, int Quantity, decimal LineTotal);

internal sealed record PaymentDto(string Method, string? Reference, string By, DateTime At);

internal sealed record VoidDto(string Reason, string By, DateTime At);

/// <summary>The seller on a receipt; <c>VatIncluded</c> is the VAT inside the total, rounded to the currency's minor unit.</summary>
internal sealed record BusinessDto(string Name, string? Address, string? TaxId, decimal? VatRatePercent, decimal? VatIncluded);

internal sealed record OrderDto(long Id, DateTime CreatedAt, DateOnly BusinessDate, IReadOnlyList<OrderLineDto> Items, int ItemCount, decimal Total,
    long TotalMinor, string Currency, string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ReceiptCode,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] PaymentDto? Payment,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] VoidDto? Void,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] BusinessDto? Business)
{
    /// <summary>The order as the API shows it; the receipt code only to its owner, the business details only on receipts.</summary>
    public static OrderDto From(Order o, bool withCode = false, CatalogueSettings? business = null) => new(o.Id, o.CreatedUtc, o.BusinessDate,
        o.Items.Select(i => new OrderLineDto(i.Class, i.Name, i.UnitPrice, i.Quantity, i.LineTotal)).ToList(), o.ItemCount, o.Total,
        CurrencyExponents.ToMinor(o.Total, o.Currency), o.Currency, o.Status.ToString().ToLowerInvariant(),
        withCode ? o.ReceiptCode : null,
        o.Payment is { } p ? new PaymentDto(p.Method, p.Reference, p.By, p.Utc) : null,
        o.Void is { } v ? new VoidDto(v.Reason, v.By, v.Utc) : null,
        business is null ? null : new BusinessDto(business.BusinessName, business.Address, business.TaxId, business.VatRatePercent, VatIncluded(o, business)));

    private static decimal? VatIncluded(Order o, CatalogueSettings business)
    {
        if (business.VatRatePercent is not { } rate) return null;
        var exponent = CurrencyExponents.TryGet(o.Currency, out var e) ? e : 2;
        return Math.Round(o.Total * rate / (100 + rate), exponent, MidpointRounding.AwayFromZero) / 1.000000000000000000000000000000000m;
    }
}

internal sealed record ProductSalesDto(string Class, string Name, int Quantity, decimal Revenue);

internal sealed record VoidSummaryDto(int Count, decimal Total);

/// <summary>One day for staff: counts, takings and products of paid orders only; voids and unpaid orders beside them.</summary>
internal sealed record DayReportDto(DateOnly Date, int OrderCount, int ItemCount, decimal Total, string Currency, IReadOnlyList<ProductSalesDto> Products,
    IReadOnlyList<OrderDto> Orders, VoidSummaryDto Voided, int AwaitingPayment);

internal sealed record StaffSessionDto(string Name, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? CsrfToken);

internal sealed record ModelDto(string Name, IReadOnlyList<string> Classes, int InputHeight, int InputWidth, IReadOnlyDictionary<string, double> Metrics,
    double ConfidenceThreshold, int TopK);

internal sealed record CatalogueDto(string Currency, IReadOnlyList<ProductDto> Products, string BusinessName, bool CardPayment);

internal sealed record HealthDto(string Status, string Model, string Database, InferenceStatistics Inference);
