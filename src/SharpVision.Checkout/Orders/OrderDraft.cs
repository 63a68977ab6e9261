namespace SharpVision.Checkout;

/// <summary>A priced, validated order not yet stored.</summary>
/// <param name="CreatedUtc">When the customer placed it (UTC).</param>
/// <param name="BusinessDate">The café's local day.</param>
/// <param name="Currency">The catalogue currency.</param>
/// <param name="Items">The priced lines.</param>
public sealed record OrderDraft(DateTime CreatedUtc, DateOnly BusinessDate, string Currency, IReadOnlyList<OrderLine> Items)
{
    /// <summary>The receipt code the customer gets (see <see cref="ReceiptCodes"/>); a fresh random one by default.</summary>
    public string ReceiptCode { get; init; } = ReceiptCodes.New();

    /// <summary>The sum of the line totals.</summary>
    public decimal Total => Items.Sum(i => i.LineTotal);

    /// <summary>The sum of the quantities.</summary>
    public int ItemCount => Items.Sum(i => i.Quantity);
}
