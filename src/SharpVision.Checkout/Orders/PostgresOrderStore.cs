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

    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => await _dataSource.OpenConnectionAsync(cancellationToken);

    protected override DateTime ReadUtc(DbDataReader reader, int ordinal) => reader.GetFieldValue<DateTime>(ordinal);

    public override void Dispose() => _dataSource.Dispose();
}
