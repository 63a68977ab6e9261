using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace SharpVision.Checkout;

/// <summary>The order endpoints: create, receipt, card payment; staff: cash confirmation, void, day report and its CSV export.</summary>
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
        return Results.Created($"/api/orders/{order.Id}", OrderDto.From(order, withCode: true, catalogue.Settings));
    }

    /// <summary>A receipt: the customer shows the receipt code (query <c>code</c> or header <c>X-Receipt-Code</c>); staff need none.</summary>
    public static async Task<IResult> GetAsync(long id, HttpContext context, IOrderStore store, ProductCatalogue catalogue, CancellationToken cancellationToken)
    {
        var staff = StaffAuth.IsStaff(context.User);
        var code = PresentedCode(context.Request);
        if (!staff && code is null)
            return Api.Error(StatusCodes.Status401Unauthorized, $"order {id}: a receipt needs its receipt code (?code=… or header {ReceiptCodeHeader}) or staff sign-in");
        var order = await store.GetAsync(id, cancellationToken);
        // A wrong code looks exactly like a missing order, so codes cannot be used to probe which numbers exist.
        if (order is null || (!staff && !ReceiptCodes.Matches(order.ReceiptCode, code)))
            return Api.Error(StatusCodes.Status404NotFound, staff ? $"there is no order {id}" : $"there is no order {id} with that receipt code");
        return Results.Json(OrderDto.From(order, withCode: !staff, catalogue.Settings));
    }

    /// <summary>
    /// The customer pays an order by card: the configured <see cref="IPaymentProvider"/> (the terminal) takes the money,
    /// and only its approval marks the order paid. One charge at a time per order, so a double tap cannot charge twice.
    /// </summary>
    public static async Task<IResult> PayByCardAsync(long id, HttpContext context, IOrderStore store, CheckoutOptions options, ProductCatalogue catalogue,
        PaymentGuard guard, ILoggerFactory logs, CancellationToken cancellationToken)
    {
        var order = await store.GetAsync(id, cancellationToken);
        if (order is null || !ReceiptCodes.Matches(order.ReceiptCode, PresentedCode(context.Request)))
            return Api.Error(StatusCodes.Status404NotFound, $"there is no order {id} with that receipt code");
        if (options.PaymentProvider is not { } provider)
            return Api.Error(StatusCodes.Status409Conflict, "this till has no card terminal; please pay at the counter");
        if (order.Status != OrderStatus.Created) return NotPayable(order);
        using var charging = guard.TryBegin(id);
        if (charging is null) return Api.Error(StatusCodes.Status409Conflict, $"order {id}: a payment is already in progress");

        PaymentResult result;
        try
        {
            // Not cancellable: once the terminal is charging, the answer must be recorded even if the page went away.
            result = await provider.ChargeAsync(new PaymentRequest(id, CurrencyExponents.ToMinor(order.Total, order.Currency), order.Currency), CancellationToken.None);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            logs.CreateLogger("SharpVision.Checkout.Payments").LogError(e, "payment provider {Method} failed on order {Id}", provider.Method, id);
            return Api.Error(StatusCodes.Status503ServiceUnavailable, "the card terminal is not answering; nothing was charged, please pay at the counter");
        }
        if (!result.Approved)
            return Api.Error(StatusCodes.Status402PaymentRequired, $"payment declined: {result.DeclineReason ?? "no reason given"}");
        var paid = await store.MarkPaidAsync(id, new PaymentRecord(provider.Method, result.Reference, provider.Method + " terminal", options.Clock.GetUtcNow().UtcDateTime),
            CancellationToken.None);
        if (!paid.Applied)
            logs.CreateLogger("SharpVision.Checkout.Payments").LogError("order {Id} was charged ({Reference}) but is now {Status}; refund it", id, result.Reference, paid.Order?.Status);
        return paid.Applied ? Results.Json(OrderDto.From(paid.Order!, withCode: true, catalogue.Settings)) : NotPayable(paid.Order!);
    }

    /// <summary>Staff confirm that the customer paid cash at the counter.</summary>
    public static async Task<IResult> ConfirmCashAsync(long id, HttpContext context, IOrderStore store, CheckoutOptions options)
    {
        var who = StaffAuth.StaffName(context.User);
        var result = await store.MarkPaidAsync(id, new PaymentRecord("cash", null, who, options.Clock.GetUtcNow().UtcDateTime), CancellationToken.None);
        if (result.Order is null) return Api.Error(StatusCodes.Status404NotFound, $"there is no order {id}");
        return result.Applied ? Results.Json(OrderDto.From(result.Order)) : NotPayable(result.Order);
    }

    /// <summary>Staff void an order (JSON <c>{"reason": "..."}</c>); it leaves the takings and is listed with the voids.</summary>
    public static async Task<IResult> VoidAsync(long id, HttpContext context, IOrderStore store, CheckoutOptions options, ILoggerFactory logs,
        CancellationToken cancellationToken)
    {
        byte[]? body;
        try
        {
            body = await Api.ReadBodyAsync(context.Request, 4096, cancellationToken);
        }
        catch (BadHttpRequestException)
        {
            return Api.Error(StatusCodes.Status400BadRequest, "the request was cut off");
        }
        string? reason = null;
        try
        {
            if (body is { Length: > 0 })
            {
                using var doc = System.Text.Json.JsonDocument.Parse(body);
                if (doc.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object && doc.RootElement.TryGetProperty("reason", out var r) &&
                    r.ValueKind == System.Text.Json.JsonValueKind.String)
                    reason = r.GetString()!.Trim();
            }
        }
        catch (System.Text.Json.JsonException)
        {
            return Api.Error(StatusCodes.Status400BadRequest, "body is not valid JSON; expected {\"reason\": \"...\"}");
        }
        if (reason is not { Length: > 0 and <= 200 } || reason.Any(char.IsControl))
            return Api.Error(StatusCodes.Status400BadRequest, "'reason' must be 1 to 200 printable characters (why the order is voided)");
        var who = StaffAuth.StaffName(context.User);
        var result = await store.VoidAsync(id, new VoidRecord(reason, who, options.Clock.GetUtcNow().UtcDateTime), CancellationToken.None);
        if (result.Order is null) return Api.Error(StatusCodes.Status404NotFound, $"there is no order {id}");
        if (!result.Applied) return Api.Error(StatusCodes.Status409Conflict, $"order {id} is already voided");
        logs.CreateLogger("SharpVision.Checkout.Orders").LogInformation("order {Id} voided by {Who}: {Reason}", id, who, reason);
        return Results.Json(OrderDto.From(result.Order));
    }

    public static async Task<IResult> ListAsync(string? date, IOrderStore store, ProductCatalogue catalogue, CheckoutOptions options,
        CancellationToken cancellationToken)
    {
        if (!TryParseDate(date, options, out var day)) return BadDate(date);
        var orders = await store.ListByDateAsync(day, cancellationToken);
        // Takings are paid orders only; voided and unpaid orders are shown beside them, never summed in.
        var paid = orders.Where(o => o.Status == OrderStatus.Paid).ToList();
        var voided = orders.Where(o => o.Status == OrderStatus.Voided).ToList();
        var products = paid.SelectMany(o => o.Items).GroupBy(i => i.Class)
            .Select(g => new ProductSalesDto(g.Key, g.Last().Name, g.Sum(i => i.Quantity), g.Sum(i => i.LineTotal)))
            .OrderByDescending(p => p.Revenue).ToList();
        return Results.Json(new DayReportDto(day, paid.Count, paid.Sum(o => o.ItemCount), paid.Sum(o => o.Total), catalogue.Currency, products,
            orders.Select(o => OrderDto.From(o)).ToList(), new VoidSummaryDto(voided.Count, voided.Sum(o => o.Total)),
            orders.Count(o => o.Status == OrderStatus.Created)));
    }

    public static async Task<IResult> ExportCsvAsync(string? date, IOrderStore store, CheckoutOptions options, CancellationToken cancellationToken)
    {
        if (!TryParseDate(date, options, out var day)) return BadDate(date);
        var orders = (await store.ListByDateAsync(day, cancellationToken)).Where(o => o.Status == OrderStatus.Paid);
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

    /// <summary>The header a customer's page sends the receipt code in (kept out of URLs and logs).</summary>
    public const string ReceiptCodeHeader = "X-Receipt-Code";

    private static string? PresentedCode(HttpRequest request)
    {
        var code = request.Headers[ReceiptCodeHeader].ToString();
        if (code.Length == 0) code = request.Query["code"].ToString();
        return code.Length is > 0 and <= 64 ? code : null;
    }

    private static IResult NotPayable(Order order) =>
        Api.Error(StatusCodes.Status409Conflict, $"order {order.Id} is {order.Status.ToString().ToLowerInvariant()}, so it cannot be paid again");

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
