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

internal sealed record OrderDto(long Id, DateTime CreatedAt, DateOnly BusinessDate, IReadOnlyList<OrderLineDto> Items, int ItemCount, decimal Total,
    string Currency)
{
    public static OrderDto From(Order o) => new(o.Id, o.CreatedUtc, o.BusinessDate,
        o.Items.Select(i => new OrderLineDto(i.Class, i.Name, i.UnitPrice, i.Quantity, i.LineTotal)).ToList(), o.ItemCount, o.Total, o.Currency);
}

internal sealed record ProductSalesDto(string Class, string Name, int Quantity, decimal Revenue);

internal sealed record DayReportDto(DateOnly Date, int OrderCount, int ItemCount, decimal Total, string Currency, IReadOnlyList<ProductSalesDto> Products,
    IReadOnlyList<OrderDto> Orders);

internal sealed record ModelDto(string Name, IReadOnlyList<string> Classes, int InputHeight, int InputWidth, IReadOnlyDictionary<string, double> Metrics,
    double ConfidenceThreshold, int TopK);

internal sealed record CatalogueDto(string Currency, IReadOnlyList<ProductDto> Products);

internal sealed record HealthDto(string Status, string Model, string Database, InferenceStatistics Inference);
