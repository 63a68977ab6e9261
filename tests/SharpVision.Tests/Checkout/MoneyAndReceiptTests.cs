using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SharpVision.Checkout;
using SharpVision.Tests.Support;

namespace SharpVision.Tests.Checkout;

/// <summary>Money in whole minor units (ISO 4217 exponents), the receipt's business details, the CSV formula guard, the card payment hook.</summary>
public sealed class MoneyAndReceiptTests : IDisposable
{
    private readonly TempDirectory _dir = new("sv-checkout");

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("HUF", 2)]
    [InlineData("JPY", 0)]
    [InlineData("EUR", 2)]
    [InlineData("USD", 2)]
    [InlineData("KWD", 3)]
    public void CurrencyExponentsFollowIso4217(string currency, int exponent) => Assert.Equal(exponent, CurrencyExponents.Of(currency));

    [Fact]
    public void AmountsConvertToWholeMinorUnitsAndBackExactly()
    {
        Assert.Equal(69000, CurrencyExponents.ToMinor(690m, "HUF"));
        Assert.Equal(1235, CurrencyExponents.ToMinor(1.235m, "KWD"));
        Assert.Equal(500, CurrencyExponents.ToMinor(500m, "JPY"));
        Assert.Equal(690m, CurrencyExponents.ToMajor(69000, "HUF"));
        Assert.Equal("3.705", CurrencyExponents.ToMajor(3705, "KWD").ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Throws<ArgumentException>(() => CurrencyExponents.ToMinor(1190.999m, "HUF"));
        Assert.Throws<ArgumentException>(() => CurrencyExponents.ToMinor(100.5m, "JPY"));
    }

    [Theory]
    [InlineData("menu.json", "{\"currency\":\"HUF\",\n \"products\":[\n  {\"class\":\"a\",\"name\":\"A\",\"price\":690},\n  {\"class\":\"b\",\"name\":\"B\",\n   \"price\":1190.999}]}",
        "line 5, field products[1].price: price 1190.999 has more decimals than HUF allows (2)")]
    [InlineData("menu.json", "[{\"class\":\"a\",\"name\":\"A\",\"price\":100.5,\"currency\":\"JPY\"}]", "line 1, field products[0].price: price 100.5 has more decimals than JPY allows (0)")]
    [InlineData("menu.csv", "class,name,price,currency\na,A,3.50,EUR\nb,B,2.999,EUR\n", "line 3, field 'price': price 2.999 has more decimals than EUR allows (2)")]
    [InlineData("menu.csv", "class,name,price,currency\na,A,3,XYZ\n", "class 'a' has currency 'XYZ', which is not in the till's ISO 4217 table")]
    public void ACatalogueRefusesPricesFinerThanItsCurrencyWithFileLineAndField(string fileName, string content, string expected)
    {
        var path = _dir.File(fileName);
        File.WriteAllText(path, content);
        var e = Assert.Throws<CatalogueFormatException>(() => ProductCatalogue.Load(path));
        Assert.StartsWith($"catalogue {path}: {expected}", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void ThreeDecimalCurrenciesKeepTheirThirdDecimal()
    {
        var path = _dir.File("menu.json");
        File.WriteAllText(path, """{"currency":"KWD","products":[{"class":"a","name":"A","price":1.235}]}""");
        Assert.True(ProductCatalogue.Load(path).TryGet("a", out var a));
        Assert.Equal(1.235m, a.Price);
    }

    [Theory]
    [InlineData("=HYPERLINK(\"x\")")]
    [InlineData("\t=1+1")]
    [InlineData("\r=1+1")]
    [InlineData("  =1+1")]
    [InlineData(" +1")]
    [InlineData("\u00A0-1")]
    [InlineData("@SUM(A1)")]
    [InlineData("\tplain")]
    public void TheCsvFormulaGuardAlsoCatchesLeadingWhitespaceTabAndCarriageReturn(string value)
    {
        var quoted = CsvReader.Quote(value);
        Assert.StartsWith("'", quoted.TrimStart('"'));
    }

    [Fact]
    public void OrdinaryCsvFieldsAreNotChanged() => Assert.Equal("Ice cream", CsvReader.Quote("Ice cream"));

    [Fact]
    public async Task TheReceiptCarriesTheBusinessNameAndTaxDetailsFromTheCatalogueSettings()
    {
        var path = _dir.File("menu.json");
        File.WriteAllText(path, """
            { "currency": "HUF",
              "settings": { "businessName": "Kávé & Co. Kft.", "address": "Fő utca 1, Budapest", "taxId": "12345678-2-42", "vatRatePercent": 27 },
              "products": [
                { "class": "cheesecake", "name": "Cheesecake", "price": 1490 }, { "class": "donuts", "name": "Donut", "price": 690 },
                { "class": "ice_cream", "name": "Ice cream", "price": 890 }, { "class": "macarons", "name": "Macaron", "price": 450 },
                { "class": "pancakes", "name": "Pancake", "price": 1190 } ] }
            """);
        await using var host = await CheckoutHost.StartAsync(new CheckoutOptions { SqlitePath = _dir.File("orders.db"), CataloguePath = path }, new FakeColourClassifier());
        var (id, code, created) = await host.OrderAsync("""[{"class":"pancakes","quantity":1}]""");
        Assert.Equal("Kávé & Co. Kft.", created.GetProperty("business").GetProperty("name").GetString());
        await host.PayCashAsync(id);
        var receipt = await host.Client.GetFromJsonAsync<JsonElement>($"/api/orders/{id}?code={code}");
        var business = receipt.GetProperty("business");
        Assert.Equal("Kávé & Co. Kft.", business.GetProperty("name").GetString());
        Assert.Equal("Fő utca 1, Budapest", business.GetProperty("address").GetString());
        Assert.Equal("12345678-2-42", business.GetProperty("taxId").GetString());
        Assert.Equal(27, business.GetProperty("vatRatePercent").GetDecimal());
        Assert.Equal(252.99m, business.GetProperty("vatIncluded").GetDecimal()); // 1190 × 27/127 = 252.992…, to HUF's two decimals
        Assert.Equal("Kávé & Co. Kft.", (await host.Client.GetFromJsonAsync<JsonElement>("/api/catalogue")).GetProperty("businessName").GetString());
    }

    [Fact]
    public async Task ACardTerminalHookMarksTheOrderPaidOnlyWhenItApproves()
    {
        var terminal = new FakeTerminal();
        var options = new CheckoutOptions { SqlitePath = _dir.File("orders.db"), PaymentProvider = terminal };
        await using var host = await CheckoutHost.StartAsync(options, new FakeColourClassifier());
        Assert.True((await host.Client.GetFromJsonAsync<JsonElement>("/api/catalogue")).GetProperty("cardPayment").GetBoolean());
        var (id, code, _) = await host.OrderAsync("""[{"class":"donuts","quantity":2}]""");
        HttpRequestMessage Pay(string c) => new(HttpMethod.Post, $"/api/orders/{id}/pay") { Headers = { { "X-Receipt-Code", c } } };

        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.SendAsync(Pay("WRONGCODE"))).StatusCode);
        terminal.Approve = false;
        var declined = await host.Client.SendAsync(Pay(code));
        Assert.Equal(HttpStatusCode.PaymentRequired, declined.StatusCode);
        Assert.Contains("card declined", (await declined.Content.ReadFromJsonAsync<ApiError>())!.Error);
        Assert.Equal(0, (await host.ReportAsync()).GetProperty("orderCount").GetInt32());

        terminal.Approve = true;
        var approved = await host.Client.SendAsync(Pay(code));
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        var order = await approved.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("paid", order.GetProperty("status").GetString());
        Assert.Equal("card", order.GetProperty("payment").GetProperty("method").GetString());
        Assert.Equal("T-2", order.GetProperty("payment").GetProperty("reference").GetString());
        Assert.Equal([new PaymentRequest(id, 2 * 69000, "HUF"), new PaymentRequest(id, 2 * 69000, "HUF")], terminal.Requests);
        Assert.Equal(HttpStatusCode.Conflict, (await host.Client.SendAsync(Pay(code))).StatusCode);
        Assert.Equal(2, terminal.Requests.Count); // a paid order is never charged again
        Assert.Equal(1380, (await host.ReportAsync()).GetProperty("total").GetDecimal());
    }

    private sealed class FakeTerminal : IPaymentProvider
    {
        public bool Approve { get; set; }

        public List<PaymentRequest> Requests { get; } = [];

        public string Method => "card";

        public Task<PaymentResult> ChargeAsync(PaymentRequest request, CancellationToken cancellationToken)
        {
            Requests.Add(request);
            return Task.FromResult(Approve ? PaymentResult.Approve($"T-{Requests.Count}") : PaymentResult.Decline("card declined"));
        }
    }
}
