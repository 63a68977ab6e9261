namespace SharpVision.Checkout;

/// <summary>A priced, validated order not yet stored.</summary>
/// <param name="CreatedUtc">The payment time (UTC).</param>
/// <param name="BusinessDate">The café's local day.</param>
/// <param name="Currency">The catalogue currency.</param>
/// <param name="Items">The priced lines.</param>
public sealed record OrderDraft(DateTime CreatedUtc, DateOnly BusinessDate, string Currency, IReadOnlyList<OrderLine> Items)
{
    /// <summary>The sum of the line totals.</summary>
    public decimal Total => Items.Sum(i => i.LineTotal);

    /// <summary>The sum of the quantities.</summary>
    public int ItemCount => Items.Sum(i => i.Quantity);
}
