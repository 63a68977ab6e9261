using Microsoft.Data.Sqlite;
using SharpVision.Checkout;
using SharpVision.Tests.Support;

namespace SharpVision.Tests.Checkout;

/// <summary>SQLite specifics: the file's journal mode and what a second reader of the file sees.</summary>
public sealed class SqliteOrderStoreTests : IDisposable
{
    private readonly TempDirectory _dir = new("sv-checkout");

    [Fact]
    public async Task DatabaseFileUsesWalJournalAndHoldsCommittedOrders()
    {
        await using (var host = await CheckoutHost.StartAsync(new CheckoutOptions { SqlitePath = _dir.File("orders.db") }, new FakeColourClassifier()))
        {
            var response = await host.Client.PostAsync("/api/orders",
                new StringContent("""{"items":[{"class":"donuts","quantity":3}]}""", System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        }
        // Read the file directly, as a second process would after a crash.
        using var conn = new SqliteConnection($"Data Source={_dir.File("orders.db")};Pooling=False");
        conn.Open();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", (string?)cmd.ExecuteScalar());
        cmd.CommandText = "SELECT o.total, i.quantity, i.product_name FROM orders o JOIN order_items i ON i.order_id = o.id";
        using var r = cmd.ExecuteReader();
        Assert.True(r.Read());
        Assert.Equal(2070m, r.GetDecimal(0));
        Assert.Equal(3, r.GetInt32(1));
        Assert.Equal("Donut", r.GetString(2));
        Assert.False(r.Read());
    }

    public void Dispose() => _dir.Dispose();
}
