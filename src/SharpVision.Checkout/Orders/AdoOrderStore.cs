using System.Data;
using System.Data.Common;

namespace SharpVision.Checkout;

/// <summary>
/// The SQL shared by the SQLite and PostgreSQL stores: the same tables and columns, parameterised ADO.NET commands only
/// (<c>@name</c> placeholders work in both providers), one transaction per order.
/// </summary>
internal abstract class AdoOrderStore : IOrderStore
{
    private const string InsertOrderSql =
        "INSERT INTO orders (created_utc, business_date, currency, total, item_count) VALUES (@created, @date, @currency, @total, @count) RETURNING id";
    private const string InsertLineSql =
        "INSERT INTO order_items (order_id, line_no, class, product_name, unit_price, quantity, line_total) " +
        "VALUES (@order, @line, @class, @name, @price, @quantity, @lineTotal)";
    private const string SelectOrderColumns = "SELECT id, created_utc, business_date, currency, total, item_count FROM orders";
    private const string SelectLineColumns = "SELECT order_id, class, product_name, unit_price, quantity, line_total FROM order_items";

    public abstract string Kind { get; }

    /// <summary>The DDL for this database (same tables, native types).</summary>
    protected abstract IReadOnlyList<string> SchemaStatements { get; }

    /// <summary>Opens a connection with per-connection settings applied.</summary>
    protected abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Reads a stored UTC timestamp.</summary>
    protected abstract DateTime ReadUtc(DbDataReader reader, int ordinal);

    /// <summary>Starts a read-only snapshot transaction.</summary>
    protected virtual async Task<DbTransaction> BeginReadAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);

    /// <summary>Serialises writers where the database needs it (SQLite has a single writer).</summary>
    protected virtual Task<IDisposable?> EnterWriteAsync(CancellationToken cancellationToken) => Task.FromResult<IDisposable?>(null);

    public virtual async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        await using var conn = await OpenAsync(cancellationToken);
        await using var tx = await conn.BeginTransactionAsync(cancellationToken);
        foreach (var sql in SchemaStatements)
        {
            await using var cmd = conn.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = sql;
            await cmd.ExecuteNonQueryAsync(cancellationToken);
        }
        await tx.CommitAsync(cancellationToken);
    }

    public async Task<Order> CreateAsync(OrderDraft draft, CancellationToken cancellationToken = default)
    {
        if (draft.Items.Count == 0) throw new ArgumentException("an order needs at least one line", nameof(draft));
        using var writeLock = await EnterWriteAsync(cancellationToken);
        await using var conn = await OpenAsync(cancellationToken);
        // Once the transaction starts the order is written whole or not at all: a cancelled request must not leave
        // half an order, so from here on we ignore the request's cancellation token.
        await using var tx = await conn.BeginTransactionAsync(IsolationLevel.ReadCommitted, CancellationToken.None);
        long id;
        await using (var cmd = conn.CreateCommand())
        {
            cmd.Transaction = tx;
            cmd.CommandText = InsertOrderSql;
            Add(cmd, "created", draft.CreatedUtc);
            Add(cmd, "date", draft.BusinessDate);
            Add(cmd, "currency", draft.Currency);
            Add(cmd, "total", draft.Total);
            Add(cmd, "count", draft.ItemCount);
            id = Convert.ToInt64(await cmd.ExecuteScalarAsync(CancellationToken.None));
        }
        for (var i = 0; i < draft.Items.Count; i++)
        {
            var line = draft.Items[i];
            await using var cmd = conn.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = InsertLineSql;
            Add(cmd, "order", id);
            Add(cmd, "line", i + 1);
            Add(cmd, "class", line.Class);
            Add(cmd, "name", line.Name);
            Add(cmd, "price", line.UnitPrice);
            Add(cmd, "quantity", line.Quantity);
            Add(cmd, "lineTotal", line.LineTotal);
            await cmd.ExecuteNonQueryAsync(CancellationToken.None);
        }
        await tx.CommitAsync(CancellationToken.None);
        return new Order(id, draft.CreatedUtc, draft.BusinessDate, draft.Currency, draft.Items, draft.Total, draft.ItemCount);
    }

    public async Task<Order?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var conn = await OpenAsync(cancellationToken);
        var orders = await ReadOrdersAsync(conn, " WHERE id = @id", " WHERE order_id = @id", "id", id, cancellationToken);
        return orders.Count == 0 ? null : orders[0];
    }

    public async Task<IReadOnlyList<Order>> ListByDateAsync(DateOnly date, CancellationToken cancellationToken = default)
    {
        await using var conn = await OpenAsync(cancellationToken);
        return await ReadOrdersAsync(conn, " WHERE business_date = @date", " WHERE order_id IN (SELECT id FROM orders WHERE business_date = @date)",
            "date", date, cancellationToken);
    }

    public async Task PingAsync(CancellationToken cancellationToken = default)
    {
        await using var conn = await OpenAsync(cancellationToken);
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*) FROM orders";
        await cmd.ExecuteScalarAsync(cancellationToken);
    }

    public virtual void Dispose()
    {
    }

    private async Task<List<Order>> ReadOrdersAsync(DbConnection conn, string orderWhere, string lineWhere, string param, object value, CancellationToken ct)
    {
        // Read both tables in one snapshot so a concurrent insert can't give an order without its lines.
        await using var tx = await BeginReadAsync(conn, ct);
        var lines = new Dictionary<long, List<OrderLine>>();
        await using (var cmd = conn.CreateCommand())
        {
            cmd.Transaction = tx;
            cmd.CommandText = SelectLineColumns + lineWhere + " ORDER BY order_id, line_no";
            Add(cmd, param, value);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                var orderId = r.GetInt64(0);
                if (!lines.TryGetValue(orderId, out var list)) lines[orderId] = list = [];
                list.Add(new OrderLine(r.GetString(1), r.GetString(2), Money(r, 3), r.GetInt32(4), Money(r, 5)));
            }
        }
        var orders = new List<Order>();
        await using (var cmd = conn.CreateCommand())
        {
            cmd.Transaction = tx;
            cmd.CommandText = SelectOrderColumns + orderWhere + " ORDER BY id";
            Add(cmd, param, value);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                var id = r.GetInt64(0);
                orders.Add(new Order(id, ReadUtc(r, 1), r.GetFieldValue<DateOnly>(2), r.GetString(3), lines.GetValueOrDefault(id) ?? [],
                    Money(r, 4), r.GetInt32(5)));
            }
        }
        await tx.CommitAsync(ct);
        return orders;
    }

    /// <summary>Reads an amount without the scale the database adds (SQLite "890.0", PostgreSQL 890.00 → 890).</summary>
    private static decimal Money(DbDataReader reader, int ordinal) => reader.GetDecimal(ordinal) / 1.000000000000000000000000000000000m;

    private static void Add(DbCommand cmd, string name, object value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = "@" + name;
        p.Value = value;
        cmd.Parameters.Add(p);
    }
}
