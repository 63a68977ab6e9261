using System.Net;
using System.Text.RegularExpressions;
using SharpVision.Checkout;
using SharpVision.Tests.Support;

namespace SharpVision.Tests.Checkout;

/// <summary>Browser-facing protections: CSP without inline script, nosniff, no framing, and Host filtering against DNS rebinding.</summary>
public sealed class SecurityHeadersTests : IDisposable
{
    private readonly TempDirectory _dir = new("sv-checkout");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task EveryAnswerCarriesAStrictCspNosniffNoFramingAndNoReferrer()
    {
        await using var host = await CheckoutHost.StartAsync(new CheckoutOptions { SqlitePath = _dir.File("orders.db") }, new FakeColourClassifier());
        foreach (var path in new[] { "/", "/staff/sign-in", "/assets/app.js", "/api/catalogue", "/api/orders", "/no-such-page" })
        {
            var response = await host.Client.GetAsync(path);
            var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("script-src 'self'", csp);
            Assert.Contains("style-src 'self'", csp);
            Assert.Contains("frame-ancestors 'none'", csp);
            Assert.Contains("object-src 'none'", csp);
            Assert.DoesNotContain("unsafe-inline", csp);
            Assert.DoesNotContain("unsafe-eval", csp);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
            Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        }
        var api = await host.Client.GetAsync("/api/catalogue");
        Assert.True(api.Headers.CacheControl?.NoStore, "API answers must not be cached");
    }

    [Fact]
    public void PagesHaveNoInlineScriptStyleOrEventHandlersSoTheCspCanForbidThem()
    {
        var pages = StaticAssets.Names.Where(n => n.EndsWith(".html", StringComparison.Ordinal)).ToList();
        Assert.Contains("sign-in.html", pages);
        foreach (var name in pages)
        {
            using var stream = typeof(StaticAssets).Assembly.GetManifestResourceStream("assets/" + name)!;
            var html = new StreamReader(stream).ReadToEnd();
            Assert.DoesNotMatch(new Regex(@"<script(?![^>]*\bsrc=)[^>]*>", RegexOptions.IgnoreCase), html);
            Assert.DoesNotMatch(new Regex(@"<style", RegexOptions.IgnoreCase), html);
            Assert.DoesNotMatch(new Regex(@"\sstyle\s*=", RegexOptions.IgnoreCase), html);
            Assert.DoesNotMatch(new Regex(@"\son[a-z]+\s*=", RegexOptions.IgnoreCase), html);
            Assert.DoesNotContain("javascript:", html, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Theory]
    [InlineData("evil.example", HttpStatusCode.BadRequest)]
    [InlineData("evil.example:5080", HttpStatusCode.BadRequest)]
    [InlineData("127.0.0.1.evil.example", HttpStatusCode.BadRequest)]
    [InlineData("localhost", HttpStatusCode.OK)]
    [InlineData("127.0.0.1:5080", HttpStatusCode.OK)]
    [InlineData("[::1]:5080", HttpStatusCode.OK)]
    [InlineData("till.local", HttpStatusCode.OK)]
    [InlineData("10.1.2.3", HttpStatusCode.OK)]
    public async Task AForeignHostHeaderIsRefusedWith400SoDnsRebindingCannotReachTheTill(string hostHeader, HttpStatusCode expected)
    {
        // Bound to 10.1.2.3 with till.local allowed: those and the loopback names answer, any other name does not.
        var options = new CheckoutOptions { SqlitePath = _dir.File("orders.db"), Host = "10.1.2.3", AllowedHosts = ["till.local"] };
        await using var host = await CheckoutHost.StartAsync(options, new FakeColourClassifier());
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/catalogue");
        request.Headers.Host = hostHeader;
        var response = await host.Client.SendAsync(request);
        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.BadRequest) Assert.DoesNotContain("cheesecake", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public void BoundToEveryInterfaceTheTillAnswersItsOwnAddressesButNoNames()
    {
        var hosts = AllowedHostList.For(new CheckoutOptions { Host = "0.0.0.0" });
        Assert.Contains("localhost", hosts);
        Assert.Contains("127.0.0.1", hosts);
        Assert.DoesNotContain("*", hosts);
        Assert.All(hosts.Where(h => h != "localhost"), h => Assert.True(h.StartsWith('[') || System.Net.IPAddress.TryParse(h, out _), h));
    }
}
