namespace SharpVision.Checkout;

/// <summary>What a payment provider is asked to charge.</summary>
/// <param name="OrderId">The order number (for the terminal's reference).</param>
/// <param name="AmountMinor">The amount in whole minor units of <paramref name="Currency"/> (69000 for 690 HUF).</param>
/// <param name="Currency">The ISO 4217 code.</param>
public sealed record PaymentRequest(long OrderId, long AmountMinor, string Currency);
