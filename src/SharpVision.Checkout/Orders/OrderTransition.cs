namespace SharpVision.Checkout;

/// <summary>The result of a status change: <see cref="Order"/> is null when there is no such order; <see cref="Applied"/> is
/// false when the order was not in a state that allows the change (then <see cref="Order"/> shows its current state).</summary>
/// <param name="Applied">Whether this call changed the order.</param>
/// <param name="Order">The order after the call, or null when it does not exist.</param>
public sealed record OrderTransition(bool Applied, Order? Order);
