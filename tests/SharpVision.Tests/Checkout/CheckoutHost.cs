using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Logging;
using SharpVision.Checkout;

namespace SharpVision.Tests.Checkout;

/// <summary>
/// A running checkout app for one test: on a TestServer (default) or a real loopback port (for the browser). The staff
/// area is on with <see cref="StaffPassword"/> unless the test switches it off.
/// </summary>
internal sealed class CheckoutHost : IAsyncDisposable
{
    /// <summary>The staff password of every test till.</summary>
    public const string StaffPassword = "correct horse battery staple";

    /// <summary>The staff member the tests sign in as.</summary>
    public const string StaffName = "Test Staff";

    /// <summary>Hashed once per test run (PBKDF2 is slow on purpose).</summary>
    public static StaffCredential Credential { get; } = StaffCredential.FromPassword(StaffPassword);

    private readonly bool _realPort;
    private HttpClient? _staff;

    private CheckoutHost(WebApplication app, HttpClient client, string baseUrl, bool realPort)
    {
        App = app;
        Client = client;
        BaseUrl = baseUrl;
        _realPort = realPort;
    }

    public WebApplication App { get; }

    /// <summary>A customer's client: not signed in.</summary>
    public HttpClient Client { get; }

    public string BaseUrl { get; }

    public static async Task<CheckoutHost> StartAsync(CheckoutOptions options, IImageClassifier classifier, bool realPort = false, bool staff = true)
    {
        var configure = options.ConfigureBuilder;
        options.ConfigureBuilder = b =>
        {
            b.Logging.SetMinimumLevel(LogLevel.Warning);
            if (!realPort) b.WebHost.UseTestServer();
            configure?.Invoke(b);
        };
        if (realPort)
        {
            options.Host = "127.0.0.1";
            options.Port = 0;
        }
        if (staff) options.StaffCredential ??= Credential;
        var app = CheckoutApp.Build(options, classifier);
        await app.StartAsync();
        if (!realPort) return new CheckoutHost(app, app.GetTestClient(), "http://localhost", realPort);
        var url = app.Urls.Single();
        return new CheckoutHost(app, new HttpClient { BaseAddress = new Uri(url) }, url, realPort);
    }

    /// <summary>A new client of this app (no cookies, no credentials); <paramref name="handler"/> wraps the transport.</summary>
    public HttpClient NewClient(DelegatingHandler? handler = null)
    {
        HttpMessageHandler inner = _realPort ? new SocketsHttpHandler() : App.GetTestServer().CreateHandler();
        if (handler is not null) handler.InnerHandler = inner;
        return new HttpClient(handler ?? inner) { BaseAddress = new Uri(BaseUrl) };
    }

    /// <summary>A bearer token from <c>POST /api/staff/token</c>.</summary>
    public async Task<string> StaffTokenAsync(HttpClient? client = null)
    {
        var response = await (client ?? Client).PostAsync("/api/staff/token", Json(new { name = StaffName, password = StaffPassword }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
    }

    /// <summary>A client signed in as staff with a bearer token (as a script would be).</summary>
    public async Task<HttpClient> StaffAsync()
    {
        if (_staff is not null) return _staff;
        var client = NewClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await StaffTokenAsync(client));
        return _staff = client;
    }

    /// <summary>Places an order as a customer; returns its id and receipt code.</summary>
    public async Task<(long Id, string Code, JsonElement Order)> OrderAsync(string itemsJson)
    {
        var response = await Client.PostAsync("/api/orders", new StringContent($$"""{"items":{{itemsJson}}}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var order = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (order.GetProperty("id").GetInt64(), order.GetProperty("receiptCode").GetString()!, order);
    }

    /// <summary>Staff confirm a cash payment (the payment step); asserts it was applied.</summary>
    public async Task<JsonElement> PayCashAsync(long id)
    {
        var response = await (await StaffAsync()).PostAsync($"/api/orders/{id}/confirm-cash", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>The staff day report.</summary>
    public async Task<JsonElement> ReportAsync(string date = "today") =>
        await (await StaffAsync()).GetFromJsonAsync<JsonElement>("/api/orders?date=" + date);

    public static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        _staff?.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
