namespace SharpVision.Checkout;

/// <summary>Durable order storage. <see cref="CreateAsync"/> returns only after the order and all its lines are committed.</summary>
public interface IOrderStore : IDisposable
{
    /// <summary>"sqlite" or "postgresql".</summary>
    string Kind { get; }

    /// <summary>Creates the schema if it is missing (idempotent) and applies connection settings.</summary>
    Task InitializeAsync(CancellationToken cancellationToken = default);

    /// <summary>Stores an order and its lines in one transaction and returns it with its new id.</summary>
    Task<Order> CreateAsync(OrderDraft draft, CancellationToken cancellationToken = default);

    /// <summary>Reads one order, or null when there is none with that id.</summary>
    Task<Order?> GetAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>Lists the orders of one business day, oldest first.</summary>
    Task<IReadOnlyList<Order>> ListByDateAsync(DateOnly date, CancellationToken cancellationToken = default);

    /// <summary>Runs a trivial query; throws when the database cannot be reached.</summary>
    Task PingAsync(CancellationToken cancellationToken = default);
}
