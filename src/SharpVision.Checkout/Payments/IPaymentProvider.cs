namespace SharpVision.Checkout;

/// <summary>
/// The payment step for a card terminal (or any other provider that takes the money itself). The till calls
/// <see cref="ChargeAsync"/> when the customer chooses to pay an order by card; only an approved result marks the
/// order paid. Without a provider, orders are paid by staff confirming cash on the staff page.
/// </summary>
public interface IPaymentProvider
{
    /// <summary>The method recorded on paid orders (e.g. "card").</summary>
    string Method { get; }

    /// <summary>Takes the payment for one order. Called at most once at a time per order; may be slow (the customer is at the terminal).</summary>
    Task<PaymentResult> ChargeAsync(PaymentRequest request, CancellationToken cancellationToken);
}
