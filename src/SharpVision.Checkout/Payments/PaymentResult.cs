namespace SharpVision.Checkout;

/// <summary>A payment provider's answer.</summary>
/// <param name="Approved">Whether the money was taken.</param>
/// <param name="Reference">The provider's transaction reference when approved.</param>
/// <param name="DeclineReason">A message for the customer when declined (e.g. "card declined").</param>
public sealed record PaymentResult(bool Approved, string? Reference, string? DeclineReason)
{
    /// <summary>An approved payment.</summary>
    public static PaymentResult Approve(string? reference) => new(true, reference, null);

    /// <summary>A declined payment.</summary>
    public static PaymentResult Decline(string reason) => new(false, null, reason);
}
