using System.Collections.Concurrent;

namespace SharpVision.Checkout;

/// <summary>Allows one card payment at a time per order, so two taps on "Pay by card" cannot charge the terminal twice.</summary>
internal sealed class PaymentGuard
{
    private readonly ConcurrentDictionary<long, byte> _inFlight = new();

    /// <summary>A lease to release when the charge is over, or null when one is already running for <paramref name="orderId"/>.</summary>
    public IDisposable? TryBegin(long orderId) => _inFlight.TryAdd(orderId, 0) ? new Lease(this, orderId) : null;

    private sealed class Lease(PaymentGuard guard, long orderId) : IDisposable
    {
        public void Dispose() => guard._inFlight.TryRemove(orderId, out _);
    }
}
