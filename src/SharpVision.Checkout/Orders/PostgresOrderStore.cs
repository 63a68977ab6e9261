using System.Data.Common;
using Npgsql;

namespace SharpVision.Checkout;

/// <summary>Orders in PostgreSQL: the same tables as SQLite with native types (identity, timestamptz, date, numeric).</summary>
internal sealed class PostgresOrderStore(string connectionString) : AdoOrderStore
{
    private readonly NpgsqlDataSource _dataSource = NpgsqlDataSource.Create(connectionString);

    public override string Kind => "postgresql";

    protected override IReadOnlyList<string> SchemaStatements { get; } =
    [
        """
        CREATE TABLE IF NOT EXISTS orders (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            created_utc TIMESTAMPTZ NOT NULL,
            business_date DATE NOT NULL,
            currency TEXT NOT NULL,
            total NUMERIC(14, 2) NOT NULL,
            item_count INTEGER NOT NULL CHECK (item_count > 0))
        """,
        """
        CREATE TABLE IF NOT EXISTS order_items (
            order_id BIGINT NOT NULL REFERENCES orders(id),
            line_no INTEGER NOT NULL,
            class TEXT NOT NULL,
            product_name TEXT NOT NULL,
            unit_price NUMERIC(14, 2) NOT NULL,
            quantity INTEGER NOT NULL CHECK (quantity > 0),
            line_total NUMERIC(14, 2) NOT NULL,
            PRIMARY KEY (order_id, line_no))
        """,
        "CREATE INDEX IF NOT EXISTS ix_orders_business_date ON orders (business_date)",
    ];

    protected override IReadOnlyList<string> MigrationToVersion2 { get; } =
    [
        // Schema 1 stored an order when the customer pressed Pay, so its rows default to 'paid'.
        "ALTER TABLE orders ADD COLUMN IF NOT EXISTS status TEXT NOT NULL DEFAULT 'paid' CHECK (status IN ('created', 'paid', 'voided'))",
        "ALTER TABLE orders ADD COLUMN IF NOT EXISTS receipt_code TEXT",
        "ALTER TABLE orders ADD COLUMN IF NOT EXISTS total_minor BIGINT",
        "ALTER TABLE orders ADD COLUMN IF NOT EXISTS paid_utc TIMESTAMPTZ",
        "ALTER TABLE orders ADD COLUMN IF NOT EXISTS payment_method TEXT",
        "ALTER TABLE orders ADD COLUMN IF NOT EXISTS payment_reference TEXT",
        "ALTER TABLE orders ADD COLUMN IF NOT EXISTS paid_by TEXT",
        "ALTER TABLE orders ADD COLUMN IF NOT EXISTS voided_utc TIMESTAMPTZ",
        "ALTER TABLE orders ADD COLUMN IF NOT EXISTS voided_by TEXT",
        "ALTER TABLE orders ADD COLUMN IF NOT EXISTS void_reason TEXT",
        "ALTER TABLE order_items ADD COLUMN IF NOT EXISTS unit_price_minor BIGINT",
        "ALTER TABLE order_items ADD COLUMN IF NOT EXISTS line_total_minor BIGINT",
        // Three-decimal currencies (KWD) need more scale than schema 1's numeric(14, 2) in the compatibility columns.
        "ALTER TABLE orders ALTER COLUMN total TYPE NUMERIC(18, 4)",
        "ALTER TABLE order_items ALTER COLUMN unit_price TYPE NUMERIC(18, 4)",
        "ALTER TABLE order_items ALTER COLUMN line_total TYPE NUMERIC(18, 4)",
    ];

    // Two tills starting on one database at once must not both migrate it.
    protected override string? MigrationLockSql => "SELECT pg_advisory_xact_lock(5316246)";

    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => await _dataSource.OpenConnectionAsync(cancellationToken);

    protected override DateTime ReadUtc(DbDataReader reader, int ordinal) => reader.GetFieldValue<DateTime>(ordinal);

    public override void Dispose() => _dataSource.Dispose();
}
