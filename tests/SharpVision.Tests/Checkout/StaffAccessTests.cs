using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using SharpVision.Checkout;
using SharpVision.Tests.Support;

namespace SharpVision.Tests.Checkout;

/// <summary>Who may see and change what: staff sign-in (cookie + anti-forgery, bearer), rate limits, receipts by code.</summary>
public sealed class StaffAccessTests : IDisposable
{
    private readonly TempDirectory _dir = new("sv-checkout");

    public void Dispose() => _dir.Dispose();

    private CheckoutOptions Options() => new() { SqlitePath = _dir.File("orders.db") };

    private static async Task<string> ErrorOf(HttpResponseMessage response)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return (await response.Content.ReadFromJsonAsync<ApiError>())!.Error;
    }

    [Fact]
    public async Task EveryStaffEndpointNeedsSignInAnd401IsJsonWhileCustomerEndpointsStayOpen()
    {
        await using var host = await CheckoutHost.StartAsync(Options(), new FakeColourClassifier());
        var (id, _, _) = await host.OrderAsync("""[{"class":"donuts","quantity":1}]""");
        foreach (var (method, path) in new[]
                 {
                     ("GET", "/api/orders"), ("GET", "/api/orders?date=today"), ("GET", "/api/orders/export.csv"), ("GET", "/api/staff/session"),
                     ("POST", $"/api/orders/{id}/confirm-cash"), ("POST", $"/api/orders/{id}/void"), ("POST", "/api/staff/sign-out"),
                 })
        {
            var response = await host.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path}: {response.StatusCode}");
            Assert.Contains("sign-in required", await ErrorOf(response));
        }
        // The staff page sends the browser to its sign-in page instead.
        var page = await host.Client.GetAsync("/staff");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/staff/sign-in", page.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/staff/sign-in")).StatusCode);
        foreach (var open in new[] { "/", "/api/catalogue", "/api/model", "/api/health", "/assets/app.js" })
            Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync(open)).StatusCode);
        // Nothing of the day leaks: the unauthenticated answers carry no order data.
        var list = await host.Client.GetStringAsync("/api/catalogue");
        Assert.DoesNotContain("receiptCode", list);
    }

    [Fact]
    public async Task CookieSessionNeedsTheAntiForgeryTokenForEveryChange()
    {
        await using var host = await CheckoutHost.StartAsync(Options(), new FakeColourClassifier());
        var (id, _, _) = await host.OrderAsync("""[{"class":"pancakes","quantity":2}]""");
        var jar = new CookieJarHandler();
        using var browser = host.NewClient(jar);
        var signIn = await browser.PostAsync("/api/staff/sign-in", CheckoutHost.Json(new { name = "Anna", password = CheckoutHost.StaffPassword }));
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("sv-staff=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);

        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/orders")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/staff")).StatusCode);
        // A change without the token (what a cross-site form could send) is refused with a JSON 403.
        var forged = await browser.PostAsync($"/api/orders/{id}/confirm-cash", null);
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Contains("anti-forgery", await ErrorOf(forged));

        var session = await browser.GetFromJsonAsync<JsonElement>("/api/staff/session");
        Assert.Equal("Anna", session.GetProperty("name").GetString());
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/orders/{id}/confirm-cash");
        request.Headers.Add("X-CSRF-TOKEN", session.GetProperty("csrfToken").GetString());
        var paid = await browser.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
        Assert.Equal("Anna", (await paid.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("payment").GetProperty("by").GetString());

        var signOut = new HttpRequestMessage(HttpMethod.Post, "/api/staff/sign-out");
        signOut.Headers.Add("X-CSRF-TOKEN", session.GetProperty("csrfToken").GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await browser.SendAsync(signOut)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/orders")).StatusCode);
    }

    [Fact]
    public async Task BearerTokenServesScriptsAndABadTokenIs401Json()
    {
        await using var host = await CheckoutHost.StartAsync(Options(), new FakeColourClassifier());
        var (id, _, _) = await host.OrderAsync("""[{"class":"donuts","quantity":1}]""");
        var staff = await host.StaffAsync();
        Assert.Equal(HttpStatusCode.OK, (await staff.GetAsync("/api/orders/export.csv")).StatusCode);
        // Browsers never send a bearer token by themselves, so scripts need no anti-forgery token.
        Assert.Equal(HttpStatusCode.OK, (await staff.PostAsync($"/api/orders/{id}/void", CheckoutHost.Json(new { reason = "test" }))).StatusCode);

        using var forged = host.NewClient();
        forged.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-token");
        var response = await forged.GetAsync("/api/orders");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("sign-in required", await ErrorOf(response));
    }

    [Fact]
    public async Task WrongPasswordsAre401AndRepeatedAttemptsAreRateLimitedWith429()
    {
        var options = Options();
        options.StaffSignInAttemptsPerMinute = 3;
        await using var host = await CheckoutHost.StartAsync(options, new FakeColourClassifier());
        for (var i = 0; i < 3; i++)
        {
            var wrong = await host.Client.PostAsync("/api/staff/token", CheckoutHost.Json(new { name = "Mallory", password = "guess" + i }));
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            Assert.Equal("wrong staff password", await ErrorOf(wrong));
        }
        // Even the right password waits now: guessing is throttled per client address.
        var limited = await host.Client.PostAsync("/api/staff/token", CheckoutHost.Json(new { name = "Mallory", password = CheckoutHost.StaffPassword }));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Contains("too many sign-in attempts", await ErrorOf(limited));
        Assert.True(limited.Headers.RetryAfter is not null);
        var malformed = await host.NewClient().PostAsync("/api/staff/sign-in", CheckoutHost.Json(new { password = "x" }));
        Assert.Equal(HttpStatusCode.TooManyRequests, malformed.StatusCode);
    }

    [Fact]
    public async Task WithoutAStaffPasswordTheStaffAreaIsDisabledAndTheStartUpLogSaysSo()
    {
        var log = new ListLoggerProvider();
        var options = Options();
        options.ConfigureBuilder = b => b.Logging.AddProvider(log).SetMinimumLevel(LogLevel.Information);
        await using var host = await CheckoutHost.StartAsync(options, new FakeColourClassifier(), staff: false);
        Assert.Contains(log.Messages, m => m.StartsWith("Warning: staff area disabled", StringComparison.Ordinal));
        var signIn = await host.Client.PostAsync("/api/staff/sign-in", CheckoutHost.Json(new { name = "Anna", password = "anything at all" }));
        Assert.Equal(HttpStatusCode.Forbidden, signIn.StatusCode);
        Assert.Contains("staff area is disabled", await ErrorOf(signIn));
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client.GetAsync("/api/orders")).StatusCode);
        // The customer side works as before.
        Assert.Equal(HttpStatusCode.Created, (await host.Client.PostAsync("/api/orders", CheckoutHost.Json(new { items = new[] { new { @class = "donuts", quantity = 1 } } }))).StatusCode);
    }

    [Fact]
    public void TheStaffPasswordIsKeptOnlyAsASaltedSlowHash()
    {
        var a = CheckoutHost.Credential;
        var b = StaffCredential.FromPassword(CheckoutHost.StaffPassword);
        Assert.True(a.Iterations >= 100_000);
        Assert.NotEqual(a.ToString(), b.ToString()); // salted: the same password hashes differently
        Assert.DoesNotContain(CheckoutHost.StaffPassword, a.ToString());
        Assert.True(a.Verify(CheckoutHost.StaffPassword));
        Assert.False(a.Verify(CheckoutHost.StaffPassword + " "));
        Assert.False(a.Verify(null));
        var parsed = StaffCredential.Parse(a.ToString());
        Assert.True(parsed.Verify(CheckoutHost.StaffPassword));
        Assert.True(StaffCredential.LooksLikeHash(a.ToString()));
        Assert.Throws<ArgumentException>(() => StaffCredential.FromPassword("short"));
        Assert.Throws<FormatException>(() => StaffCredential.Parse(a.ToString().Replace("$210000$", "$1000$")));
    }

    [Fact]
    public async Task ReceiptsNeedTheirUnguessableCodeOrStaffSoNumbersCannotBeEnumerated()
    {
        await using var host = await CheckoutHost.StartAsync(Options(), new FakeColourClassifier());
        var (first, firstCode, _) = await host.OrderAsync("""[{"class":"donuts","quantity":1}]""");
        var (second, secondCode, _) = await host.OrderAsync("""[{"class":"macarons","quantity":1}]""");
        Assert.NotEqual(firstCode, secondCode);
        Assert.Matches("^[0-9A-HJKMNP-TV-Z]{20}$", firstCode);

        var noCode = await host.Client.GetAsync($"/api/orders/{first}");
        Assert.Equal(HttpStatusCode.Unauthorized, noCode.StatusCode);
        Assert.Contains("receipt code", await ErrorOf(noCode));
        var wrongCode = await host.Client.GetAsync($"/api/orders/{first}?code={secondCode}");
        Assert.Equal(HttpStatusCode.NotFound, wrongCode.StatusCode);
        // A wrong code and a missing order look the same.
        var missing = await host.Client.GetAsync($"/api/orders/{second + 100}?code={secondCode}");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal((await ErrorOf(wrongCode)).Replace(first.ToString(), "N"), (await ErrorOf(missing)).Replace((second + 100).ToString(), "N"));

        var byHeader = new HttpRequestMessage(HttpMethod.Get, $"/api/orders/{first}") { Headers = { { "X-Receipt-Code", firstCode } } };
        var receipt = await (await host.Client.SendAsync(byHeader)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(first, receipt.GetProperty("id").GetInt64());
        var asStaff = await (await host.StaffAsync()).GetFromJsonAsync<JsonElement>($"/api/orders/{second}");
        Assert.Equal(second, asStaff.GetProperty("id").GetInt64());
        Assert.False(asStaff.TryGetProperty("receiptCode", out _));
    }
}
