namespace SharpVision.Checkout;

/// <summary>An order as stored in the database. Amounts are exact multiples of the currency's minor unit.</summary>
/// <param name="Id">The order number (assigned by the database).</param>
/// <param name="CreatedUtc">When the customer placed it (UTC).</param>
/// <param name="BusinessDate">The café's local calendar day it belongs to (for the staff report).</param>
/// <param name="Currency">The currency of every amount.</param>
/// <param name="Items">The lines, in basket order.</param>
/// <param name="Total">The sum of the line totals.</param>
/// <param name="ItemCount">The sum of the quantities.</param>
public sealed record Order(long Id, DateTime CreatedUtc, DateOnly BusinessDate, string Currency, IReadOnlyList<OrderLine> Items, decimal Total, int ItemCount)
{
    /// <summary>The unguessable code that lets the customer read the receipt (<c>GET /api/orders/{id}</c>).</summary>
    public string ReceiptCode { get; init; } = "";

    /// <summary>Created, paid or voided.</summary>
    public OrderStatus Status { get; init; } = OrderStatus.Created;

    /// <summary>The payment, once paid (kept after a void).</summary>
    public PaymentRecord? Payment { get; init; }

    /// <summary>The void, once voided.</summary>
    public VoidRecord? Void { get; init; }
}
