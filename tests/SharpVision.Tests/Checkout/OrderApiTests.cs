using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SharpVision.Checkout;
using SharpVision.Tests.Support;

namespace SharpVision.Tests.Checkout;

/// <summary>
/// The order tests, run once on SQLite and once on a real PostgreSQL server (the same tests, the same schema). Each test
/// gets a fresh database; "restart" means a new app instance over the same database.
/// </summary>
public sealed class OrderApiTests(PostgresServerFixture postgres) : IClassFixture<PostgresServerFixture>, IDisposable
{
    private readonly TempDirectory _dir = new("sv-checkout");
    private string? _postgresDatabase;
    private string _database = "sqlite";

    /// <summary>sqlite always; postgresql where the binaries are installed (always under CI, where missing ones fail).</summary>
    public static TheoryData<string> Databases()
    {
        var data = new TheoryData<string> { "sqlite" };
        if (PostgresServerFixture.Available) data.Add("postgresql");
        return data;
    }

    private CheckoutOptions NewOptions() => _database == "sqlite"
        ? new CheckoutOptions { SqlitePath = _dir.File("orders.db") }
        : new CheckoutOptions { PostgresConnectionString = _postgresDatabase ??= postgres.CreateDatabase() };

    private Task<CheckoutHost> StartAsync() => CheckoutHost.StartAsync(NewOptions(), new FakeColourClassifier());

    /// <inheritdoc />
    public void Dispose() => _dir.Dispose();

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task PayingStoresTheOrderWithServerSidePricesAndTheReceiptReadsItBack(string database)
    {
        _database = database;
        await using var host = await StartAsync();
        // A client-sent price is ignored: totals come from the catalogue only.
        var response = await host.Client.PostAsync("/api/orders",
            Json("""{"items":[{"class":"donuts","quantity":2,"price":1},{"class":"cheesecake","quantity":1}]}"""));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var created = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var id = created.RootElement.GetProperty("id").GetInt64();
        Assert.Equal($"/api/orders/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal(2 * 690 + 1490, created.RootElement.GetProperty("total").GetDecimal());
        Assert.Equal(3, created.RootElement.GetProperty("itemCount").GetInt32());
        Assert.Equal("HUF", created.RootElement.GetProperty("currency").GetString());
        var items = created.RootElement.GetProperty("items");
        Assert.Equal("Donut", items[0].GetProperty("name").GetString());
        Assert.Equal(1380, items[0].GetProperty("lineTotal").GetDecimal());

        var receipt = await host.Client.GetFromJsonAsync<JsonElement>($"/api/orders/{id}");
        Assert.Equal(id, receipt.GetProperty("id").GetInt64());
        Assert.Equal(2870, receipt.GetProperty("total").GetDecimal());
        Assert.Equal(["donuts", "cheesecake"], receipt.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("class").GetString()));
        var createdAt = receipt.GetProperty("createdAt").GetDateTime();
        Assert.InRange(createdAt, DateTime.UtcNow.AddMinutes(-5), DateTime.UtcNow.AddMinutes(1));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task RepeatedClassesAreMergedIntoOneLine(string database)
    {
        _database = database;
        await using var host = await StartAsync();
        var response = await host.Client.PostAsync("/api/orders",
            Json("""{"items":[{"class":"macarons","quantity":2},{"class":"pancakes","quantity":1},{"class":"macarons","quantity":3}]}"""));
        var order = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var items = order.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(2, items.Count);
        Assert.Equal(5, items[0].GetProperty("quantity").GetInt32());
        Assert.Equal(5 * 450 + 1190, order.GetProperty("total").GetDecimal());
    }

    [Theory]
    [MemberData(nameof(BadOrders))]
    public async Task BadOrdersAreRefusedWith400AndNothingIsStored(string database, string body, string expected)
    {
        _database = database;
        await using var host = await StartAsync();
        var before = await CountTodayAsync(host);
        var response = await host.Client.PostAsync("/api/orders", Json(body));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<ApiError>())!.Error;
        Assert.Contains(expected, error);
        Assert.Equal(before, await CountTodayAsync(host));
    }

    /// <summary>Every database × every bad body.</summary>
    public static TheoryData<string, string, string> BadOrders()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var db in Databases())
            foreach (var (body, expected) in BadBodies)
                data.Add(db, body, expected);
        return data;
    }

    private static readonly (string Body, string Expected)[] BadBodies =
    [
        ("""{"items":[{"class":"croissant","quantity":1}]}""", "items[0].class 'croissant' is not in the catalogue"),
        ("""{"items":[{"class":"donuts","quantity":0}]}""", "items[0].quantity must be at least 1"),
        ("""{"items":[{"class":"donuts","quantity":-3}]}""", "items[0].quantity must be at least 1"),
        ("""{"items":[{"class":"donuts","quantity":1.5}]}""", "items[0].quantity must be a whole number"),
        ("""{"items":[{"class":"donuts","quantity":"2"}]}""", "items[0].quantity must be a whole number"),
        ("""{"items":[{"class":"donuts","quantity":1000}]}""", "more than the till sells at once"),
        ("""{"items":[{"class":"donuts","quantity":1},{"quantity":1}]}""", "items[1].class must be a non-empty string"),
        ("""{"items":[]}""", "'items' is empty"),
        ("""{}""", "'items' array"),
        ("""[1,2]""", "'items' array"),
        ("""{"items":[{"class":"donuts",""", "not valid JSON")
    ];

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task OrderWithWrongContentTypeIs415(string database)
    {
        _database = database;
        await using var host = await StartAsync();
        var response = await host.Client.PostAsync("/api/orders", new StringContent("""{"items":[{"class":"donuts","quantity":1}]}""", Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("application/json", (await response.Content.ReadFromJsonAsync<ApiError>())!.Error);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task UnknownOrderIs404WithJsonError(string database)
    {
        _database = database;
        await using var host = await StartAsync();
        var response = await host.Client.GetAsync("/api/orders/987654321");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("there is no order 987654321", (await response.Content.ReadFromJsonAsync<ApiError>())!.Error);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task StaffReportListsTodaysOrdersWithTotalsAndCsv(string database)
    {
        _database = database;
        await using var host = await StartAsync();
        var before = await host.Client.GetFromJsonAsync<JsonElement>("/api/orders");
        var a = await (await host.Client.PostAsync("/api/orders", Json("""{"items":[{"class":"ice_cream","quantity":2}]}"""))).Content.ReadFromJsonAsync<JsonElement>();
        var b = await (await host.Client.PostAsync("/api/orders", Json("""{"items":[{"class":"pancakes","quantity":1}]}"""))).Content.ReadFromJsonAsync<JsonElement>();

        var report = await host.Client.GetFromJsonAsync<JsonElement>("/api/orders?date=today");
        Assert.Equal(before.GetProperty("orderCount").GetInt32() + 2, report.GetProperty("orderCount").GetInt32());
        Assert.Equal(before.GetProperty("total").GetDecimal() + 2 * 890 + 1190, report.GetProperty("total").GetDecimal());
        var ids = report.GetProperty("orders").EnumerateArray().Select(o => o.GetProperty("id").GetInt64()).ToList();
        Assert.Contains(a.GetProperty("id").GetInt64(), ids);
        Assert.Contains(b.GetProperty("id").GetInt64(), ids);
        var date = report.GetProperty("date").GetString();

        var csvResponse = await host.Client.GetAsync($"/api/orders/export.csv?date={date}");
        Assert.Equal("text/csv", csvResponse.Content.Headers.ContentType?.MediaType);
        var csv = (await csvResponse.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("order_id,created_local,class,product,unit_price,quantity,line_total,currency", csv[0]);
        Assert.Contains(csv, l => l.StartsWith($"{a.GetProperty("id").GetInt64()},") && l.EndsWith(",ice_cream,Ice cream,890,2,1780,HUF"));

        var other = await host.Client.GetFromJsonAsync<JsonElement>("/api/orders?date=2001-01-01");
        Assert.Equal(0, other.GetProperty("orderCount").GetInt32());
        var bad = await host.Client.GetAsync("/api/orders?date=yesterday-ish");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task OrdersSurviveARestartOfTheApp(string database)
    {
        _database = database;
        long id;
        await using (var first = await StartAsync())
        {
            var response = await first.Client.PostAsync("/api/orders", Json("""{"items":[{"class":"cheesecake","quantity":4}]}"""));
            id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        }
        await using var second = await StartAsync();
        var receipt = await second.Client.GetFromJsonAsync<JsonElement>($"/api/orders/{id}");
        Assert.Equal(4 * 1490, receipt.GetProperty("total").GetDecimal());
        Assert.Equal("Cheesecake", receipt.GetProperty("items")[0].GetProperty("name").GetString());
        // New orders continue the numbering rather than reusing it.
        var next = await second.Client.PostAsync("/api/orders", Json("""{"items":[{"class":"donuts","quantity":1}]}"""));
        Assert.True((await next.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64() > id);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task ConcurrentPaymentsAllCommitWithDistinctNumbers(string database)
    {
        _database = database;
        await using var host = await StartAsync();
        var before = await CountTodayAsync(host);
        var responses = await Task.WhenAll(Enumerable.Range(1, 24).Select(i =>
            host.Client.PostAsync("/api/orders", Json($$"""{"items":[{"class":"donuts","quantity":{{i % 5 + 1}}}]}"""))));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var ids = await Task.WhenAll(responses.Select(async r => (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64()));
        Assert.Equal(24, ids.Distinct().Count());
        Assert.Equal(before + 24, await CountTodayAsync(host));
    }

    private static async Task<int> CountTodayAsync(CheckoutHost host) =>
        (await host.Client.GetFromJsonAsync<JsonElement>("/api/orders")).GetProperty("orderCount").GetInt32();
}
