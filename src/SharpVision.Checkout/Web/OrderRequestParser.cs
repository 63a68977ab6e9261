using System.Text.Json;

namespace SharpVision.Checkout;

/// <summary>
/// Turns the body of <c>POST /api/orders</c> (<c>{"items":[{"class":"donuts","quantity":2}]}</c>) into a priced draft.
/// Prices come only from the catalogue; whatever price a client sends is ignored. Repeated classes are merged.
/// </summary>
internal static class OrderRequestParser
{
    public static OrderDraft Parse(ReadOnlySpan<byte> json, ProductCatalogue catalogue, CheckoutOptions options, DateTime nowUtc, DateOnly businessDate)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(json.ToArray()); }
        catch (JsonException e) { throw new OrderRequestException($"body is not valid JSON: {e.Message}"); }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("items", out var items))
                throw new OrderRequestException("body must be an object with an 'items' array");
            if (items.ValueKind != JsonValueKind.Array) throw new OrderRequestException("'items' must be an array");
            if (items.GetArrayLength() == 0) throw new OrderRequestException("'items' is empty: an order needs at least one item");

            var quantities = new Dictionary<string, int>(StringComparer.Ordinal);
            var order = new List<string>();
            var i = 0;
            foreach (var item in items.EnumerateArray())
            {
                var where = $"items[{i++}]";
                if (item.ValueKind != JsonValueKind.Object) throw new OrderRequestException($"{where} must be an object with 'class' and 'quantity'");
                if (!item.TryGetProperty("class", out var cls) || cls.ValueKind != JsonValueKind.String || cls.GetString() is not { Length: > 0 } name)
                    throw new OrderRequestException($"{where}.class must be a non-empty string");
                if (!catalogue.TryGet(name, out _))
                    throw new OrderRequestException($"{where}.class '{Truncate(name)}' is not in the catalogue (known: {string.Join(", ", catalogue.Entries.Select(e => e.Class))})");
                if (!item.TryGetProperty("quantity", out var q) || q.ValueKind != JsonValueKind.Number || !q.TryGetInt32(out var quantity))
                    throw new OrderRequestException($"{where}.quantity must be a whole number");
                if (quantity <= 0) throw new OrderRequestException($"{where}.quantity must be at least 1, got {quantity}");
                if (quantity > options.MaxQuantity) throw new OrderRequestException($"{where}.quantity {quantity} is more than the till sells at once ({options.MaxQuantity})");
                if (quantities.TryGetValue(name, out var had))
                {
                    if (had + quantity > options.MaxQuantity)
                        throw new OrderRequestException($"{where}: {had + quantity} × {name} in total is more than the till sells at once ({options.MaxQuantity})");
                    quantities[name] = had + quantity;
                }
                else
                {
                    quantities[name] = quantity;
                    order.Add(name);
                }
            }
            if (order.Count > options.MaxOrderLines) throw new OrderRequestException($"an order may have at most {options.MaxOrderLines} different products, got {order.Count}");

            var lines = order.Select(c =>
            {
                catalogue.TryGet(c, out var e);
                return new OrderLine(e.Class, e.Name, e.Price, quantities[c], e.Price * quantities[c]);
            }).ToList();
            return new OrderDraft(nowUtc, businessDate, catalogue.Currency, lines);
        }
    }

    private static string Truncate(string s) => s.Length <= 40 ? s : s[..40] + "…";
}

/// <summary>An order request the server refuses (answered with 400 and this message).</summary>
internal sealed class OrderRequestException(string message) : Exception(message);
