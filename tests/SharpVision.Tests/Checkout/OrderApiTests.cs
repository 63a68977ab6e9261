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
    public async Task OrderingStoresTheOrderWithServerSidePricesAndTheReceiptReadsItBackWithItsCode(string database)
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
        Assert.Equal("created", created.RootElement.GetProperty("status").GetString());
        var code = created.RootElement.GetProperty("receiptCode").GetString()!;
        Assert.Equal(ReceiptCodes.Length, code.Length);
        Assert.Equal(2870 * 100, created.RootElement.GetProperty("totalMinor").GetInt64()); // HUF has two decimals (ISO 4217)
        Assert.Equal(2 * 690 + 1490, created.RootElement.GetProperty("total").GetDecimal());
        Assert.Equal(3, created.RootElement.GetProperty("itemCount").GetInt32());
        Assert.Equal("HUF", created.RootElement.GetProperty("currency").GetString());
        var items = created.RootElement.GetProperty("items");
        Assert.Equal("Donut", items[0].GetProperty("name").GetString());
        Assert.Equal(1380, items[0].GetProperty("lineTotal").GetDecimal());

        var receipt = await host.Client.GetFromJsonAsync<JsonElement>($"/api/orders/{id}?code={code}");
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
        var response = await (await host.StaffAsync()).GetAsync("/api/orders/987654321");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("there is no order 987654321", (await response.Content.ReadFromJsonAsync<ApiError>())!.Error);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task StaffReportListsTodaysPaidOrdersWithTotalsAndCsv(string database)
    {
        _database = database;
        await using var host = await StartAsync();
        var staff = await host.StaffAsync();
        var before = await host.ReportAsync();
        var (a, _, _) = await host.OrderAsync("""[{"class":"ice_cream","quantity":2}]""");
        var (b, _, _) = await host.OrderAsync("""[{"class":"pancakes","quantity":1}]""");
        var (unpaid, _, _) = await host.OrderAsync("""[{"class":"cheesecake","quantity":5}]""");
        await host.PayCashAsync(a);
        await host.PayCashAsync(b);

        var report = await host.ReportAsync();
        Assert.Equal(before.GetProperty("orderCount").GetInt32() + 2, report.GetProperty("orderCount").GetInt32());
        Assert.Equal(before.GetProperty("total").GetDecimal() + 2 * 890 + 1190, report.GetProperty("total").GetDecimal());
        Assert.Equal(before.GetProperty("awaitingPayment").GetInt32() + 1, report.GetProperty("awaitingPayment").GetInt32());
        var ids = report.GetProperty("orders").EnumerateArray().Select(o => o.GetProperty("id").GetInt64()).ToList();
        Assert.Contains(a, ids);
        Assert.Contains(b, ids);
        Assert.Contains(unpaid, ids); // listed, but not in the takings
        var date = report.GetProperty("date").GetString();

        var csvResponse = await staff.GetAsync($"/api/orders/export.csv?date={date}");
        Assert.Equal("text/csv", csvResponse.Content.Headers.ContentType?.MediaType);
        var csv = (await csvResponse.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("order_id,created_local,class,product,unit_price,quantity,line_total,currency", csv[0]);
        Assert.Contains(csv, l => l.StartsWith($"{a},") && l.EndsWith(",ice_cream,Ice cream,890,2,1780,HUF"));
        Assert.DoesNotContain(csv, l => l.StartsWith($"{unpaid},"));

        var other = await host.ReportAsync("2001-01-01");
        Assert.Equal(0, other.GetProperty("orderCount").GetInt32());
        var bad = await staff.GetAsync("/api/orders?date=yesterday-ish");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task OnlyThePaymentStepMarksAnOrderPaidNeverTheCustomersRequest(string database)
    {
        _database = database;
        await using var host = await StartAsync();
        // A customer who claims to have paid gets an unpaid order all the same.
        var response = await host.Client.PostAsync("/api/orders", Json("""{"items":[{"class":"donuts","quantity":1}],"status":"paid","paid":true}"""));
        var order = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("created", order.GetProperty("status").GetString());
        var id = order.GetProperty("id").GetInt64();
        var code = order.GetProperty("receiptCode").GetString();
        Assert.Equal(0, (await host.ReportAsync()).GetProperty("orderCount").GetInt32());
        // Without a card terminal the customer cannot pay by themselves either.
        var selfPay = new HttpRequestMessage(HttpMethod.Post, $"/api/orders/{id}/pay") { Headers = { { "X-Receipt-Code", code } } };
        Assert.Equal(HttpStatusCode.Conflict, (await host.Client.SendAsync(selfPay)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client.PostAsync($"/api/orders/{id}/confirm-cash", null)).StatusCode);

        var paid = await host.PayCashAsync(id);
        Assert.Equal("paid", paid.GetProperty("status").GetString());
        Assert.Equal("cash", paid.GetProperty("payment").GetProperty("method").GetString());
        Assert.Equal(CheckoutHost.StaffName, paid.GetProperty("payment").GetProperty("by").GetString());
        var report = await host.ReportAsync();
        Assert.Equal(1, report.GetProperty("orderCount").GetInt32());
        Assert.Equal(690, report.GetProperty("total").GetDecimal());
        var again = await (await host.StaffAsync()).PostAsync($"/api/orders/{id}/confirm-cash", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var receipt = await host.Client.GetFromJsonAsync<JsonElement>($"/api/orders/{id}?code={code}");
        Assert.Equal("paid", receipt.GetProperty("status").GetString());
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task VoidedOrdersLeaveTheTakingsAndAreReportedSeparatelyWithWhoAndWhy(string database)
    {
        _database = database;
        await using var host = await StartAsync();
        var staff = await host.StaffAsync();
        var (kept, _, _) = await host.OrderAsync("""[{"class":"macarons","quantity":2}]""");
        var (voided, _, _) = await host.OrderAsync("""[{"class":"cheesecake","quantity":1}]""");
        await host.PayCashAsync(kept);
        await host.PayCashAsync(voided);

        Assert.Equal(HttpStatusCode.BadRequest, (await staff.PostAsync($"/api/orders/{voided}/void", Json("{}"))).StatusCode);
        var response = await staff.PostAsync($"/api/orders/{voided}/void", Json("""{"reason":"customer changed their mind"}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var order = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("voided", order.GetProperty("status").GetString());
        Assert.Equal(CheckoutHost.StaffName, order.GetProperty("void").GetProperty("by").GetString());
        Assert.Equal("customer changed their mind", order.GetProperty("void").GetProperty("reason").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await staff.PostAsync($"/api/orders/{voided}/void", Json("""{"reason":"twice"}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await staff.PostAsync($"/api/orders/{voided}/confirm-cash", null)).StatusCode);

        var report = await host.ReportAsync();
        Assert.Equal(1, report.GetProperty("orderCount").GetInt32());
        Assert.Equal(900, report.GetProperty("total").GetDecimal());
        Assert.Equal(1, report.GetProperty("voided").GetProperty("count").GetInt32());
        Assert.Equal(1490, report.GetProperty("voided").GetProperty("total").GetDecimal());
        var csv = await staff.GetStringAsync("/api/orders/export.csv");
        Assert.DoesNotContain($"\r\n{voided},", csv);
        Assert.Contains($"\r\n{kept},", csv);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task ConcurrentCashConfirmationsPayAnOrderExactlyOnce(string database)
    {
        _database = database;
        await using var host = await StartAsync();
        var staff = await host.StaffAsync();
        var (id, _, _) = await host.OrderAsync("""[{"class":"donuts","quantity":3}]""");
        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => staff.PostAsync($"/api/orders/{id}/confirm-cash", null)));
        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(11, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        Assert.Equal(3 * 690, (await host.ReportAsync()).GetProperty("total").GetDecimal());
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
        var receipt = await (await second.StaffAsync()).GetFromJsonAsync<JsonElement>($"/api/orders/{id}");
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

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task ASchemaVersion1DatabaseIsMigratedInPlaceKeepingItsOrders(string database)
    {
        _database = database;
        await CreateSchemaVersion1WithOneOrderAsync();
        await using (var host = await StartAsync())
        {
            var staff = await host.StaffAsync();
            var old = await staff.GetFromJsonAsync<JsonElement>("/api/orders/1");
            // The first till stored an order when the customer pressed Pay, so old orders stay paid and in the takings.
            Assert.Equal("paid", old.GetProperty("status").GetString());
            Assert.Equal(2070, old.GetProperty("total").GetDecimal());
            Assert.Equal(207000, old.GetProperty("totalMinor").GetInt64());
            Assert.Equal("Donut", old.GetProperty("items")[0].GetProperty("name").GetString());
            Assert.Equal(690, old.GetProperty("items")[0].GetProperty("unitPrice").GetDecimal());
            var report = await host.ReportAsync("2026-12-01");
            Assert.Equal(1, report.GetProperty("orderCount").GetInt32());
            Assert.Equal(2070, report.GetProperty("total").GetDecimal());
            var (next, _, _) = await host.OrderAsync("""[{"class":"donuts","quantity":1}]""");
            Assert.Equal(2, next);
        }
        // Opening it again changes nothing (the migration ran once).
        await using var again = await StartAsync();
        var orders = (await again.ReportAsync("2026-12-01")).GetProperty("orders");
        Assert.Equal(1, orders.GetArrayLength());
        Assert.Equal("paid", orders[0].GetProperty("status").GetString());
    }

    /// <summary>The tables exactly as the first version of the till created them, holding one order.</summary>
    private async Task CreateSchemaVersion1WithOneOrderAsync()
    {
        var sqlite = _database == "sqlite";
        await using System.Data.Common.DbConnection conn = sqlite
            ? new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_dir.File("orders.db")};Pooling=False")
            : new Npgsql.NpgsqlConnection(_postgresDatabase ??= postgres.CreateDatabase());
        await conn.OpenAsync();
        string[] statements = sqlite
            ?
            [
                "CREATE TABLE orders (id INTEGER PRIMARY KEY AUTOINCREMENT, created_utc TEXT NOT NULL, business_date TEXT NOT NULL, currency TEXT NOT NULL, total TEXT NOT NULL, item_count INTEGER NOT NULL CHECK (item_count > 0))",
                "CREATE TABLE order_items (order_id INTEGER NOT NULL REFERENCES orders(id), line_no INTEGER NOT NULL, class TEXT NOT NULL, product_name TEXT NOT NULL, unit_price TEXT NOT NULL, quantity INTEGER NOT NULL CHECK (quantity > 0), line_total TEXT NOT NULL, PRIMARY KEY (order_id, line_no))",
                "INSERT INTO orders (created_utc, business_date, currency, total, item_count) VALUES ('2026-12-01 09:30:00', '2026-12-01', 'HUF', '2070', 3)",
                "INSERT INTO order_items VALUES (1, 1, 'donuts', 'Donut', '690', 3, '2070')",
            ]
            :
            [
                "CREATE TABLE orders (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, created_utc TIMESTAMPTZ NOT NULL, business_date DATE NOT NULL, currency TEXT NOT NULL, total NUMERIC(14, 2) NOT NULL, item_count INTEGER NOT NULL CHECK (item_count > 0))",
                "CREATE TABLE order_items (order_id BIGINT NOT NULL REFERENCES orders(id), line_no INTEGER NOT NULL, class TEXT NOT NULL, product_name TEXT NOT NULL, unit_price NUMERIC(14, 2) NOT NULL, quantity INTEGER NOT NULL CHECK (quantity > 0), line_total NUMERIC(14, 2) NOT NULL, PRIMARY KEY (order_id, line_no))",
                "INSERT INTO orders (created_utc, business_date, currency, total, item_count) VALUES ('2026-12-01 09:30:00+00', '2026-12-01', 'HUF', 2070.00, 3)",
                "INSERT INTO order_items VALUES (1, 1, 'donuts', 'Donut', 690.00, 3, 2070.00)",
            ];
        foreach (var sql in statements)
        {
            await using var cmd = conn.CreateCommand();
            cmd.CommandText = sql;
            await cmd.ExecuteNonQueryAsync();
        }
    }

    /// <summary>Every order of today, whatever its status.</summary>
    private static async Task<int> CountTodayAsync(CheckoutHost host) => (await host.ReportAsync()).GetProperty("orders").GetArrayLength();
}
