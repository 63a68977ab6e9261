namespace SharpVision.Checkout;

/// <summary>How an order was paid.</summary>
/// <param name="Method">"cash" (staff confirmed), or the payment provider's method (e.g. "card").</param>
/// <param name="Reference">The terminal's transaction reference, or null.</param>
/// <param name="By">Who confirmed it: the signed-in staff member, or the provider.</param>
/// <param name="Utc">When (UTC).</param>
public sealed record PaymentRecord(string Method, string? Reference, string By, DateTime Utc);
