namespace SharpVision.Checkout;

/// <summary>
/// Durable order storage. Every write returns only after it is committed. Status changes are conditional updates
/// (created → paid, created/paid → voided), so each happens exactly once however many requests race for it.
/// </summary>
public interface IOrderStore : IDisposable
{
    /// <summary>"sqlite" or "postgresql".</summary>
    string Kind { get; }

    /// <summary>Creates the schema if it is missing and migrates an older one in place, keeping its orders (idempotent).</summary>
    Task InitializeAsync(CancellationToken cancellationToken = default);

    /// <summary>Stores a new (created, unpaid) order and its lines in one transaction and returns it with its new id.</summary>
    Task<Order> CreateAsync(OrderDraft draft, CancellationToken cancellationToken = default);

    /// <summary>Reads one order, or null when there is none with that id.</summary>
    Task<Order?> GetAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>Lists the orders of one business day (every status), oldest first.</summary>
    Task<IReadOnlyList<Order>> ListByDateAsync(DateOnly date, CancellationToken cancellationToken = default);

    /// <summary>Marks a created order paid; not applied when it is already paid or voided.</summary>
    Task<OrderTransition> MarkPaidAsync(long id, PaymentRecord payment, CancellationToken cancellationToken = default);

    /// <summary>Voids a created or paid order; not applied when it is already voided.</summary>
    Task<OrderTransition> VoidAsync(long id, VoidRecord record, CancellationToken cancellationToken = default);

    /// <summary>Runs a trivial query; throws when the database cannot be reached.</summary>
    Task PingAsync(CancellationToken cancellationToken = default);
}
