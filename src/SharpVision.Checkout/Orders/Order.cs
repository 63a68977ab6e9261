namespace SharpVision.Checkout;

/// <summary>A paid order as stored in the database.</summary>
/// <param name="Id">The order number (assigned by the database).</param>
/// <param name="CreatedUtc">When it was paid (UTC).</param>
/// <param name="BusinessDate">The café's local calendar day it belongs to (for the staff report).</param>
/// <param name="Currency">The currency of every amount.</param>
/// <param name="Items">The lines, in basket order.</param>
/// <param name="Total">The sum of the line totals.</param>
/// <param name="ItemCount">The sum of the quantities.</param>
public sealed record Order(long Id, DateTime CreatedUtc, DateOnly BusinessDate, string Currency, IReadOnlyList<OrderLine> Items, decimal Total, int ItemCount);
