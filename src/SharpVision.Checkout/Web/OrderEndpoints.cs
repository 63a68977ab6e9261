using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace SharpVision.Checkout;

/// <summary>The order endpoints: pay (create), receipt (get one), staff day report and its CSV export.</summary>
internal static class OrderEndpoints
{
    private const int MaxOrderBodyBytes = 64 * 1024;

    public static async Task<IResult> CreateAsync(HttpContext context, IOrderStore store, ProductCatalogue catalogue, CheckoutOptions options,
        ILoggerFactory logs, CancellationToken cancellationToken)
    {
        var request = context.Request;
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType) ||
            !string.Equals(mediaType.MediaType.Value, "application/json", StringComparison.OrdinalIgnoreCase))
            return Api.Error(StatusCodes.Status415UnsupportedMediaType,
                $"expected an application/json body like {{\"items\":[{{\"class\":\"donuts\",\"quantity\":2}}]}}, got content type '{request.ContentType ?? "(none)"}'");
        byte[]? body;
        try
        {
            body = await Api.ReadBodyAsync(request, MaxOrderBodyBytes, cancellationToken);
        }
        catch (BadHttpRequestException e)
        {
            return Api.Error(e.StatusCode, $"bad request body: {e.Message}");
        }
        if (body is null) return Api.Error(StatusCodes.Status413PayloadTooLarge, $"order body is larger than {MaxOrderBodyBytes / 1024} KB");

        OrderDraft draft;
        try
        {
            var now = options.Clock.GetUtcNow();
            draft = OrderRequestParser.Parse(body, catalogue, options, now.UtcDateTime, BusinessDay(options, now));
        }
        catch (OrderRequestException e)
        {
            return Api.Error(StatusCodes.Status400BadRequest, e.Message);
        }

        Order order;
        try
        {
            // Not cancellable: once the customer pressed Pay, the order is either fully committed or not written at all.
            order = await store.CreateAsync(draft, CancellationToken.None);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
        {
            logs.CreateLogger("SharpVision.Checkout.Orders").LogError(e, "could not store an order");
            return Api.Error(StatusCodes.Status503ServiceUnavailable, "the order could not be saved (database unavailable); nothing was charged, please call staff");
        }
        return Results.Created($"/api/orders/{order.Id}", OrderDto.From(order));
    }

    public static async Task<IResult> GetAsync(long id, IOrderStore store, CancellationToken cancellationToken) =>
        await store.GetAsync(id, cancellationToken) is { } order
            ? Results.Json(OrderDto.From(order))
            : Api.Error(StatusCodes.Status404NotFound, $"there is no order {id}");

    public static async Task<IResult> ListAsync(string? date, IOrderStore store, ProductCatalogue catalogue, CheckoutOptions options,
        CancellationToken cancellationToken)
    {
        if (!TryParseDate(date, options, out var day)) return BadDate(date);
        var orders = await store.ListByDateAsync(day, cancellationToken);
        var products = orders.SelectMany(o => o.Items).GroupBy(i => i.Class)
            .Select(g => new ProductSalesDto(g.Key, g.Last().Name, g.Sum(i => i.Quantity), g.Sum(i => i.LineTotal)))
            .OrderByDescending(p => p.Revenue).ToList();
        return Results.Json(new DayReportDto(day, orders.Count, orders.Sum(o => o.ItemCount), orders.Sum(o => o.Total), catalogue.Currency, products,
            orders.Select(OrderDto.From).ToList()));
    }

    public static async Task<IResult> ExportCsvAsync(string? date, IOrderStore store, CheckoutOptions options, CancellationToken cancellationToken)
    {
        if (!TryParseDate(date, options, out var day)) return BadDate(date);
        var orders = await store.ListByDateAsync(day, cancellationToken);
        var csv = new StringBuilder("order_id,created_local,class,product,unit_price,quantity,line_total,currency\r\n");
        foreach (var o in orders)
        {
            var local = TimeZoneInfo.ConvertTimeFromUtc(o.CreatedUtc, options.TimeZone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
            foreach (var i in o.Items)
                csv.Append(CultureInfo.InvariantCulture,
                    $"{o.Id},{local},{CsvReader.Quote(i.Class)},{CsvReader.Quote(i.Name)},{i.UnitPrice},{i.Quantity},{i.LineTotal},{o.Currency}\r\n");
        }
        return Results.File(Encoding.UTF8.GetBytes(csv.ToString()), "text/csv; charset=utf-8", $"orders-{day:yyyy-MM-dd}.csv");
    }

    /// <summary>The café's calendar day at <paramref name="now"/>.</summary>
    public static DateOnly BusinessDay(CheckoutOptions options, DateTimeOffset now) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, options.TimeZone).DateTime);

    private static bool TryParseDate(string? text, CheckoutOptions options, out DateOnly day)
    {
        if (string.IsNullOrWhiteSpace(text) || text == "today")
        {
            day = BusinessDay(options, options.Clock.GetUtcNow());
            return true;
        }
        return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day);
    }

    private static IResult BadDate(string? date) =>
        Api.Error(StatusCodes.Status400BadRequest, $"query parameter 'date' must be yyyy-MM-dd or 'today', got '{date}'");
}
