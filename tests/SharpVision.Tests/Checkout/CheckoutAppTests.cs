using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using SharpVision.Checkout;
using SharpVision.Tests.Support;

namespace SharpVision.Tests.Checkout;

/// <summary>Start-up checks, batching, failure handling, and the informational endpoints and pages.</summary>
public sealed class CheckoutAppTests : IDisposable
{
    private readonly TempDirectory _dir = new("sv-checkout");

    private CheckoutOptions Options() => new() { SqlitePath = _dir.File("orders.db") };

    private static MultipartFormDataContent Upload(byte[] data, string name = "photo.png")
    {
        var file = new ByteArrayContent(data);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        return new MultipartFormDataContent { { file, "image", name } };
    }

    [Fact]
    public void ModelWhoseClassesDoNotMatchTheCatalogueIsRefusedAtStartUp()
    {
        var classifier = new FakeColourClassifier(["cheesecake", "donuts", "croissant"]);
        var e = Assert.Throws<CatalogueMismatchException>(() => CheckoutApp.Build(Options(), classifier));
        Assert.Equal(["croissant"], e.Missing);
        Assert.Equal(["ice_cream", "macarons", "pancakes"], e.Extra);
        Assert.Contains("model classes missing from the catalogue: croissant", e.Message);
        Assert.Contains("extra catalogue classes the model does not know: ice_cream, macarons, pancakes", e.Message);
        Assert.False(File.Exists(_dir.File("orders.db")), "a refused start must not create the database");
    }

    [Fact]
    public async Task CustomCatalogueFileIsUsedForPrices()
    {
        var csv = _dir.File("menu.csv");
        File.WriteAllText(csv, "class,name,price,currency\ncheesecake,\"Cheesecake, New York\",1990,HUF\ndonuts,Donut,700,HUF\n" +
                               "ice_cream,Ice cream,900,HUF\nmacarons,Macaron,500,HUF\npancakes,Pancake,1200,HUF\n");
        var options = Options();
        options.CataloguePath = csv;
        await using var host = await CheckoutHost.StartAsync(options, new FakeColourClassifier());
        var body = await (await host.Client.PostAsync("/api/classify", Upload(TestImages.SolidPng(TestImages.Cheesecake)))).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Cheesecake, New York", body.GetProperty("best").GetProperty("product").GetProperty("name").GetString());
        Assert.Equal(1990m, body.GetProperty("best").GetProperty("product").GetProperty("price").GetDecimal());
    }

    [Fact]
    public async Task ClassifierIsWarmedUpOnceAtStartUp()
    {
        var classifier = new FakeColourClassifier();
        await using var host = await CheckoutHost.StartAsync(Options(), classifier);
        Assert.Equal(["warm-up.png"], classifier.Seen);
        var health = await host.Client.GetFromJsonAsync<JsonElement>("/api/health");
        Assert.Equal("ok", health.GetProperty("status").GetString());
        Assert.Equal("sqlite", health.GetProperty("database").GetString());
        Assert.Equal(0, health.GetProperty("inference").GetProperty("batches").GetInt64());
    }

    [Fact]
    public async Task ConcurrentRequestsShareForwardPasses()
    {
        var classifier = new FakeColourClassifier();
        var options = Options();
        // A generous window so that every in-process request lands in it, whatever the machine's load.
        options.BatchWindow = TimeSpan.FromMilliseconds(500);
        options.MaxBatch = 8;
        await using var host = await CheckoutHost.StartAsync(options, classifier);
        var colours = new[] { TestImages.Donut, TestImages.Cheesecake };
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            host.Client.PostAsync("/api/classify", Upload(TestImages.SolidPng(colours[i % 2], seed: i), $"p{i}.png"))));
        var bodies = await Task.WhenAll(responses.Select(r => r.Content.ReadFromJsonAsync<JsonElement>()));
        for (var i = 0; i < 8; i++)
            Assert.Equal(i % 2 == 0 ? "donuts" : "cheesecake", bodies[i].GetProperty("best").GetProperty("class").GetString());
        var batches = classifier.BatchSizes.Skip(1).ToList(); // after warm-up
        Assert.Equal(8, batches.Sum());
        Assert.True(batches.Max() > 1, $"expected requests to be batched, got batch sizes {string.Join(",", batches)}");
        Assert.True(batches.Max() <= 8);
        var stats = (await host.Client.GetFromJsonAsync<JsonElement>("/api/health")).GetProperty("inference");
        Assert.Equal(8, stats.GetProperty("images").GetInt64());
    }

    [Fact]
    public async Task ABrokenClassifierGivesAJsonErrorAndTheTillKeepsWorking()
    {
        var classifier = new FakeColourClassifier();
        await using var host = await CheckoutHost.StartAsync(Options(), classifier);
        classifier.ThrowNext = new InvalidOperationException("native crash simulation");
        var failed = await host.Client.PostAsync("/api/classify", Upload(TestImages.SolidPng(TestImages.Donut)));
        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        var error = (await failed.Content.ReadFromJsonAsync<ApiError>())!.Error;
        Assert.Contains("recogniser failed", error);
        Assert.DoesNotContain("native crash", error);
        var ok = await host.Client.PostAsync("/api/classify", Upload(TestImages.SolidPng(TestImages.Donut)));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task ModelEndpointDescribesTheClassifier()
    {
        await using var host = await CheckoutHost.StartAsync(Options(), new FakeColourClassifier());
        var model = await host.Client.GetFromJsonAsync<JsonElement>("/api/model");
        Assert.Equal("fake-colour", model.GetProperty("name").GetString());
        Assert.Equal(5, model.GetProperty("classes").GetArrayLength());
        Assert.Equal(64, model.GetProperty("inputHeight").GetInt32());
        Assert.Equal(64, model.GetProperty("inputWidth").GetInt32());
        Assert.Equal(0.9, model.GetProperty("metrics").GetProperty("accuracy").GetDouble());
        var catalogue = await host.Client.GetFromJsonAsync<JsonElement>("/api/catalogue");
        Assert.Equal("HUF", catalogue.GetProperty("currency").GetString());
        Assert.Equal(["Cheesecake", "Donut", "Ice cream", "Macaron", "Pancake"],
            catalogue.GetProperty("products").EnumerateArray().Select(p => p.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task OpenApiDocumentDescribesTheApi()
    {
        await using var host = await CheckoutHost.StartAsync(Options(), new FakeColourClassifier());
        var doc = await host.Client.GetFromJsonAsync<JsonElement>("/openapi.json");
        Assert.StartsWith("3.", doc.GetProperty("openapi").GetString());
        var paths = doc.GetProperty("paths");
        foreach (var p in new[] { "/api/classify", "/api/orders", "/api/orders/{id}", "/api/health", "/api/model" })
            Assert.True(paths.TryGetProperty(p, out _), $"OpenAPI document lacks {p}");
        Assert.True(paths.GetProperty("/api/classify").TryGetProperty("post", out _));
    }

    [Fact]
    public async Task PagesAreServedWithoutExternalResources()
    {
        await using var host = await CheckoutHost.StartAsync(Options(), new FakeColourClassifier());
        foreach (var (path, type) in new[] { ("/", "text/html"), ("/staff/sign-in", "text/html"), ("/assets/sign-in.js", "text/javascript"), ("/assets/app.js", "text/javascript"), ("/assets/app.css", "text/css"), ("/assets/staff.js", "text/javascript") })
        {
            // The staff page itself needs sign-in (StaffAccessTests); its sign-in page and scripts are public.
            var response = await host.Client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
            var text = await response.Content.ReadAsStringAsync();
            Assert.DoesNotMatch("(src|href)=\"(https?:)?//", text);
        }
        var missing = await host.Client.GetAsync("/assets/..%2F..%2Fappsettings.json");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        var unknown = await host.Client.GetAsync("/api/nothing-here");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("404", (await unknown.Content.ReadFromJsonAsync<ApiError>())!.Error);
    }

    public void Dispose() => _dir.Dispose();
}
