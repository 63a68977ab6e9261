using System.Data;
using System.Data.Common;

namespace SharpVision.Checkout;

/// <summary>
/// The SQL shared by the SQLite and PostgreSQL stores: the same tables and columns, parameterised ADO.NET commands only
/// (<c>@name</c> placeholders work in both providers), one transaction per write. Money is stored as whole minor units
/// (<c>*_minor</c> columns); the older decimal columns are still written so that an older till can read the file.
/// </summary>
internal abstract class AdoOrderStore : IOrderStore
{
    /// <summary>The schema this code writes: 1 = the first till (orders were paid when stored), 2 = lifecycle, receipt codes, minor units.</summary>
    public const int SchemaVersion = 2;

    /// <summary>The payment method recorded for orders stored before payments existed (they were stored as paid).</summary>
    public const string LegacyPaymentMethod = "recorded before payment steps";

    private const string InsertOrderSql =
        "INSERT INTO orders (created_utc, business_date, currency, total, item_count, receipt_code, status, total_minor) " +
        "VALUES (@created, @date, @currency, @total, @count, @code, 'created', @totalMinor) RETURNING id";
    private const string InsertLineSql =
        "INSERT INTO order_items (order_id, line_no, class, product_name, unit_price, quantity, line_total, unit_price_minor, line_total_minor) " +
        "VALUES (@order, @line, @class, @name, @price, @quantity, @lineTotal, @priceMinor, @lineTotalMinor)";
    private const string SelectOrderColumns =
        "SELECT id, created_utc, business_date, currency, total_minor, item_count, receipt_code, status, " +
        "paid_utc, payment_method, payment_reference, paid_by, voided_utc, voided_by, void_reason FROM orders";
    private const string SelectLineColumns = "SELECT order_id, class, product_name, unit_price_minor, quantity, line_total_minor FROM order_items";
    private const string MarkPaidSql =
        "UPDATE orders SET status = 'paid', paid_utc = @at, payment_method = @method, payment_reference = @reference, paid_by = @by " +
        "WHERE id = @id AND status = 'created'";
    private const string VoidSql =
        "UPDATE orders SET status = 'voided', voided_utc = @at, voided_by = @by, void_reason = @reason WHERE id = @id AND status <> 'voided'";

    public abstract string Kind { get; }

    /// <summary>The first schema (version 1) for this database, created when missing.</summary>
    protected abstract IReadOnlyList<string> SchemaStatements { get; }

    /// <summary>Version 1 → 2: the lifecycle, receipt-code and minor-unit columns (added; old rows kept).</summary>
    protected abstract IReadOnlyList<string> MigrationToVersion2 { get; }

    /// <summary>A statement that serialises concurrent migrations (PostgreSQL: an advisory lock), or null.</summary>
    protected virtual string? MigrationLockSql => null;

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
        using var writeLock = await EnterWriteAsync(cancellationToken);
        await using var conn = await OpenAsync(cancellationToken);
        await using var tx = await conn.BeginTransactionAsync(cancellationToken);
        if (MigrationLockSql is { } lockSql) await ExecuteAsync(conn, tx, lockSql, cancellationToken);
        foreach (var sql in SchemaStatements) await ExecuteAsync(conn, tx, sql, cancellationToken);
        await ExecuteAsync(conn, tx, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)", cancellationToken);
        int version;
        await using (var cmd = Command(conn, tx, "SELECT MAX(version) FROM schema_version"))
            version = await cmd.ExecuteScalarAsync(cancellationToken) is { } v and not DBNull ? Convert.ToInt32(v) : 1;
        if (version > SchemaVersion)
            throw new InvalidOperationException($"the order database has schema version {version}, newer than this till understands ({SchemaVersion})");
        if (version < 2)
        {
            foreach (var sql in MigrationToVersion2) await ExecuteAsync(conn, tx, sql, cancellationToken);
            await BackfillVersion2Async(conn, tx, cancellationToken);
        }
        if (version < SchemaVersion)
        {
            await ExecuteAsync(conn, tx, "DELETE FROM schema_version", cancellationToken);
            await ExecuteAsync(conn, tx, $"INSERT INTO schema_version (version) VALUES ({SchemaVersion})", cancellationToken);
        }
        await tx.CommitAsync(cancellationToken);
    }

    /// <summary>Fills the new columns of rows written by schema 1: minor units from the decimal columns, a receipt code, and the payment they had.</summary>
    private static async Task BackfillVersion2Async(DbConnection conn, DbTransaction tx, CancellationToken ct)
    {
        var orders = new List<(long Id, long TotalMinor)>();
        await using (var cmd = Command(conn, tx, "SELECT id, currency, total FROM orders WHERE total_minor IS NULL"))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct)) orders.Add((r.GetInt64(0), LegacyMinor(r.GetDecimal(2), r.GetString(1))));
        foreach (var (id, totalMinor) in orders)
        {
            await using var cmd = Command(conn, tx,
                "UPDATE orders SET total_minor = @minor, receipt_code = @code, paid_utc = created_utc, payment_method = @method, paid_by = 'till' WHERE id = @id");
            Add(cmd, "minor", totalMinor);
            Add(cmd, "code", ReceiptCodes.New());
            Add(cmd, "method", LegacyPaymentMethod);
            Add(cmd, "id", id);
            await cmd.ExecuteNonQueryAsync(ct);
        }
        var lines = new List<(long Order, int Line, long Price, long Total)>();
        await using (var cmd = Command(conn, tx,
            "SELECT i.order_id, i.line_no, o.currency, i.unit_price, i.line_total FROM order_items i JOIN orders o ON o.id = i.order_id WHERE i.unit_price_minor IS NULL"))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct))
                lines.Add((r.GetInt64(0), r.GetInt32(1), LegacyMinor(r.GetDecimal(3), r.GetString(2)), LegacyMinor(r.GetDecimal(4), r.GetString(2))));
        foreach (var (order, line, price, total) in lines)
        {
            await using var cmd = Command(conn, tx,
                "UPDATE order_items SET unit_price_minor = @price, line_total_minor = @total WHERE order_id = @order AND line_no = @line");
            Add(cmd, "price", price);
            Add(cmd, "total", total);
            Add(cmd, "order", order);
            Add(cmd, "line", line);
            await cmd.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>A schema-1 amount in minor units; schema 1 accepted any decimals, so a finer amount is rounded half to even.</summary>
    private static long LegacyMinor(decimal amount, string currency)
    {
        var exponent = CurrencyExponents.TryGet(currency, out var e) ? e : 2;
        return decimal.ToInt64(Math.Round(amount * (decimal)Math.Pow(10, exponent), MidpointRounding.ToEven));
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
        await using (var cmd = Command(conn, tx, InsertOrderSql))
        {
            Add(cmd, "created", draft.CreatedUtc);
            Add(cmd, "date", draft.BusinessDate);
            Add(cmd, "currency", draft.Currency);
            Add(cmd, "total", draft.Total);
            Add(cmd, "count", draft.ItemCount);
            Add(cmd, "code", draft.ReceiptCode);
            Add(cmd, "totalMinor", CurrencyExponents.ToMinor(draft.Total, draft.Currency));
            id = Convert.ToInt64(await cmd.ExecuteScalarAsync(CancellationToken.None));
        }
        for (var i = 0; i < draft.Items.Count; i++)
        {
            var line = draft.Items[i];
            await using var cmd = Command(conn, tx, InsertLineSql);
            Add(cmd, "order", id);
            Add(cmd, "line", i + 1);
            Add(cmd, "class", line.Class);
            Add(cmd, "name", line.Name);
            Add(cmd, "price", line.UnitPrice);
            Add(cmd, "quantity", line.Quantity);
            Add(cmd, "lineTotal", line.LineTotal);
            Add(cmd, "priceMinor", CurrencyExponents.ToMinor(line.UnitPrice, draft.Currency));
            Add(cmd, "lineTotalMinor", CurrencyExponents.ToMinor(line.LineTotal, draft.Currency));
            await cmd.ExecuteNonQueryAsync(CancellationToken.None);
        }
        await tx.CommitAsync(CancellationToken.None);
        return new Order(id, draft.CreatedUtc, draft.BusinessDate, draft.Currency, draft.Items, draft.Total, draft.ItemCount)
        {
            ReceiptCode = draft.ReceiptCode,
            Status = OrderStatus.Created,
        };
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

    public Task<OrderTransition> MarkPaidAsync(long id, PaymentRecord payment, CancellationToken cancellationToken = default) =>
        TransitionAsync(id, MarkPaidSql, cmd =>
        {
            Add(cmd, "at", payment.Utc);
            Add(cmd, "method", payment.Method);
            Add(cmd, "reference", (object?)payment.Reference ?? DBNull.Value);
            Add(cmd, "by", payment.By);
        });

    public Task<OrderTransition> VoidAsync(long id, VoidRecord record, CancellationToken cancellationToken = default) =>
        TransitionAsync(id, VoidSql, cmd =>
        {
            Add(cmd, "at", record.Utc);
            Add(cmd, "by", record.By);
            Add(cmd, "reason", record.Reason);
        });

    /// <summary>One conditional UPDATE in its own transaction (not cancellable once started), then the order as it now is.</summary>
    private async Task<OrderTransition> TransitionAsync(long id, string sql, Action<DbCommand> parameters)
    {
        int changed;
        using (await EnterWriteAsync(CancellationToken.None))
        {
            await using var conn = await OpenAsync(CancellationToken.None);
            await using var tx = await conn.BeginTransactionAsync(IsolationLevel.ReadCommitted, CancellationToken.None);
            await using (var cmd = Command(conn, tx, sql))
            {
                Add(cmd, "id", id);
                parameters(cmd);
                changed = await cmd.ExecuteNonQueryAsync(CancellationToken.None);
            }
            await tx.CommitAsync(CancellationToken.None);
        }
        return new OrderTransition(changed == 1, await GetAsync(id, CancellationToken.None));
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
        var lines = new Dictionary<long, List<(string Class, string Name, long Price, int Quantity, long Total)>>();
        await using (var cmd = Command(conn, tx, SelectLineColumns + lineWhere + " ORDER BY order_id, line_no"))
        {
            Add(cmd, param, value);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                var orderId = r.GetInt64(0);
                if (!lines.TryGetValue(orderId, out var list)) lines[orderId] = list = [];
                list.Add((r.GetString(1), r.GetString(2), r.GetInt64(3), r.GetInt32(4), r.GetInt64(5)));
            }
        }
        var orders = new List<Order>();
        await using (var cmd = Command(conn, tx, SelectOrderColumns + orderWhere + " ORDER BY id"))
        {
            Add(cmd, param, value);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                var id = r.GetInt64(0);
                var currency = r.GetString(3);
                var items = (lines.GetValueOrDefault(id) ?? [])
                    .Select(l => new OrderLine(l.Class, l.Name, CurrencyExponents.ToMajor(l.Price, currency), l.Quantity, CurrencyExponents.ToMajor(l.Total, currency)))
                    .ToList();
                orders.Add(new Order(id, ReadUtc(r, 1), r.GetFieldValue<DateOnly>(2), currency, items, CurrencyExponents.ToMajor(r.GetInt64(4), currency), r.GetInt32(5))
                {
                    ReceiptCode = r.GetString(6),
                    Status = Enum.Parse<OrderStatus>(r.GetString(7), ignoreCase: true),
                    Payment = r.IsDBNull(8) ? null : new PaymentRecord(r.GetString(9), r.IsDBNull(10) ? null : r.GetString(10), r.GetString(11), ReadUtc(r, 8)),
                    Void = r.IsDBNull(12) ? null : new VoidRecord(r.GetString(14), r.GetString(13), ReadUtc(r, 12)),
                });
            }
        }
        await tx.CommitAsync(ct);
        return orders;
    }

    private static DbCommand Command(DbConnection conn, DbTransaction tx, string sql)
    {
        var cmd = conn.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        return cmd;
    }

    private static async Task ExecuteAsync(DbConnection conn, DbTransaction tx, string sql, CancellationToken ct)
    {
        await using var cmd = Command(conn, tx, sql);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static void Add(DbCommand cmd, string name, object value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = "@" + name;
        p.Value = value;
        cmd.Parameters.Add(p);
    }
}
