using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Logging;
using SharpVision.Checkout;

namespace SharpVision.Tests.Checkout;

/// <summary>A running checkout app for one test: on a TestServer (default) or a real loopback port (for the browser).</summary>
internal sealed class CheckoutHost : IAsyncDisposable
{
    private CheckoutHost(WebApplication app, HttpClient client, string baseUrl)
    {
        App = app;
        Client = client;
        BaseUrl = baseUrl;
    }

    public WebApplication App { get; }

    public HttpClient Client { get; }

    public string BaseUrl { get; }

    public static async Task<CheckoutHost> StartAsync(CheckoutOptions options, IImageClassifier classifier, bool realPort = false)
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
        var app = CheckoutApp.Build(options, classifier);
        await app.StartAsync();
        if (!realPort) return new CheckoutHost(app, app.GetTestClient(), "http://localhost");
        var url = app.Urls.Single();
        return new CheckoutHost(app, new HttpClient { BaseAddress = new Uri(url) }, url);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
