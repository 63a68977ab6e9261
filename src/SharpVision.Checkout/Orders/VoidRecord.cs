namespace SharpVision.Checkout;

/// <summary>Why and by whom an order was voided.</summary>
/// <param name="Reason">The staff member's reason.</param>
/// <param name="By">The signed-in staff member.</param>
/// <param name="Utc">When (UTC).</param>
public sealed record VoidRecord(string Reason, string By, DateTime Utc);
