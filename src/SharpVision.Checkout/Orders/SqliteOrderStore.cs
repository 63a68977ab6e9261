using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace SharpVision.Checkout;

/// <summary>Orders in a SQLite file: WAL journal, synchronous=FULL (a committed order survives a power cut), one writer at a time.</summary>
internal sealed class SqliteOrderStore : AdoOrderStore
{
    private readonly string _connectionString;
    private readonly SemaphoreSlim _writer = new(1, 1);

    public SqliteOrderStore(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    public override string Kind => "sqlite";

    protected override IReadOnlyList<string> SchemaStatements { get; } =
    [
        // Money is TEXT so that decimals round-trip exactly (SQLite has no decimal type).
        """
        CREATE TABLE IF NOT EXISTS orders (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            created_utc TEXT NOT NULL,
            business_date TEXT NOT NULL,
            currency TEXT NOT NULL,
            total TEXT NOT NULL,
            item_count INTEGER NOT NULL CHECK (item_count > 0))
        """,
        """
        CREATE TABLE IF NOT EXISTS order_items (
            order_id INTEGER NOT NULL REFERENCES orders(id),
            line_no INTEGER NOT NULL,
            class TEXT NOT NULL,
            product_name TEXT NOT NULL,
            unit_price TEXT NOT NULL,
            quantity INTEGER NOT NULL CHECK (quantity > 0),
            line_total TEXT NOT NULL,
            PRIMARY KEY (order_id, line_no))
        """,
        "CREATE INDEX IF NOT EXISTS ix_orders_business_date ON orders (business_date)",
    ];

    protected override IReadOnlyList<string> MigrationToVersion2 { get; } =
    [
        // Schema 1 stored an order when the customer pressed Pay, so its rows default to 'paid'.
        "ALTER TABLE orders ADD COLUMN status TEXT NOT NULL DEFAULT 'paid' CHECK (status IN ('created', 'paid', 'voided'))",
        "ALTER TABLE orders ADD COLUMN receipt_code TEXT",
        "ALTER TABLE orders ADD COLUMN total_minor INTEGER",
        "ALTER TABLE orders ADD COLUMN paid_utc TEXT",
        "ALTER TABLE orders ADD COLUMN payment_method TEXT",
        "ALTER TABLE orders ADD COLUMN payment_reference TEXT",
        "ALTER TABLE orders ADD COLUMN paid_by TEXT",
        "ALTER TABLE orders ADD COLUMN voided_utc TEXT",
        "ALTER TABLE orders ADD COLUMN voided_by TEXT",
        "ALTER TABLE orders ADD COLUMN void_reason TEXT",
        "ALTER TABLE order_items ADD COLUMN unit_price_minor INTEGER",
        "ALTER TABLE order_items ADD COLUMN line_total_minor INTEGER",
    ];

    public override async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        var dir = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        await using (var conn = new SqliteConnection(_connectionString))
        {
            await conn.OpenAsync(cancellationToken);
            await using var cmd = conn.CreateCommand();
            // WAL is a property of the file, so setting it once is enough; readers then never block the writer.
            cmd.CommandText = "PRAGMA journal_mode=WAL";
            var mode = (string?)await cmd.ExecuteScalarAsync(cancellationToken);
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
                throw new InvalidOperationException($"SQLite database {Path}: could not switch to WAL journal mode (got '{mode}')");
        }
        await base.InitializeAsync(cancellationToken);
    }

    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var conn = new SqliteConnection(_connectionString);
        try
        {
            await conn.OpenAsync(cancellationToken);
            await using var cmd = conn.CreateCommand();
            cmd.CommandText = "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;";
            await cmd.ExecuteNonQueryAsync(cancellationToken);
            return conn;
        }
        catch
        {
            await conn.DisposeAsync();
            throw;
        }
    }

    protected override DateTime ReadUtc(DbDataReader reader, int ordinal) => DateTime.SpecifyKind(reader.GetDateTime(ordinal), DateTimeKind.Utc);

    // Microsoft.Data.Sqlite's default BEGIN is IMMEDIATE (takes the write lock); a deferred one is a plain WAL snapshot.
    protected override Task<DbTransaction> BeginReadAsync(DbConnection connection, CancellationToken cancellationToken) =>
        Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: true));

    protected override async Task<IDisposable?> EnterWriteAsync(CancellationToken cancellationToken)
    {
        await _writer.WaitAsync(cancellationToken);
        return new Releaser(_writer);
    }

    public override void Dispose()
    {
        // Close pooled handles so the file can be moved or deleted once the app is gone.
        using (var conn = new SqliteConnection(_connectionString)) SqliteConnection.ClearPool(conn);
        _writer.Dispose();
    }

    private sealed class Releaser(SemaphoreSlim semaphore) : IDisposable
    {
        public void Dispose() => semaphore.Release();
    }
}
