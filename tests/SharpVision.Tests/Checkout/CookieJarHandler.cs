using System.Net;

namespace SharpVision.Tests.Checkout;

/// <summary>A browser's cookie behaviour for a test client (TestServer's handler keeps no cookies).</summary>
internal sealed class CookieJarHandler : DelegatingHandler
{
    public CookieContainer Cookies { get; } = new();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri!;
        var header = Cookies.GetCookieHeader(uri);
        if (header.Length > 0) request.Headers.Add("Cookie", header);
        var response = await base.SendAsync(request, cancellationToken);
        if (response.Headers.TryGetValues("Set-Cookie", out var setCookies))
            foreach (var c in setCookies) Cookies.SetCookies(uri, c);
        return response;
    }
}
