using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SharpVision.Checkout;
using SharpVision.Tests.Support;

namespace SharpVision.Tests.Checkout;

/// <summary>POST /api/classify: recognition, the confirmation flag and every kind of bad upload.</summary>
public sealed class ClassifyApiTests : IDisposable
{
    private readonly TempDirectory _dir = new("sv-checkout");

    private Task<CheckoutHost> StartAsync(FakeColourClassifier? classifier = null, long maxUpload = 10 * 1024 * 1024, Action<WebApplicationBuilder>? configure = null) =>
        CheckoutHost.StartAsync(new CheckoutOptions { SqlitePath = _dir.File("orders.db"), MaxUploadBytes = maxUpload, ConfigureBuilder = configure },
            classifier ?? new FakeColourClassifier());

    private static MultipartFormDataContent Upload(byte[] data, string fileName = "photo.png", string field = "image", string contentType = "image/png")
    {
        var file = new ByteArrayContent(data);
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return new MultipartFormDataContent { { file, field, fileName } };
    }

    private static async Task<string> ErrorOf(HttpResponseMessage response)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return (await response.Content.ReadFromJsonAsync<ApiError>())!.Error;
    }

    [Fact]
    public async Task ConfidentPhotoReturnsTheProductPriceAndNoConfirmation()
    {
        await using var host = await StartAsync();
        var response = await host.Client.PostAsync("/api/classify", Upload(TestImages.SolidPng(TestImages.Donut)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(body.GetProperty("needsConfirmation").GetBoolean());
        var best = body.GetProperty("best");
        Assert.Equal("donuts", best.GetProperty("class").GetString());
        Assert.True(best.GetProperty("probability").GetSingle() > 0.9f);
        Assert.Equal("Donut", best.GetProperty("product").GetProperty("name").GetString());
        Assert.Equal(690m, best.GetProperty("product").GetProperty("price").GetDecimal());
        Assert.Equal("HUF", best.GetProperty("product").GetProperty("currency").GetString());
        var predictions = body.GetProperty("predictions").EnumerateArray().ToList();
        Assert.Equal(3, predictions.Count);
        Assert.True(predictions[0].GetProperty("probability").GetSingle() >= predictions[1].GetProperty("probability").GetSingle());
        Assert.Equal("fake-colour", body.GetProperty("model").GetString());
    }

    [Fact]
    public async Task AmbiguousPhotoAsksTheCustomerToChooseAmongTheTopThree()
    {
        await using var host = await StartAsync();
        var body = await (await host.Client.PostAsync("/api/classify", Upload(TestImages.SolidPng(TestImages.Ambiguous)))).Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(body.GetProperty("needsConfirmation").GetBoolean());
        Assert.True(body.GetProperty("best").GetProperty("probability").GetSingle() < 0.6f);
        var top2 = body.GetProperty("predictions").EnumerateArray().Take(2).Select(p => p.GetProperty("class").GetString()).Order().ToList();
        Assert.Equal(["donuts", "pancakes"], top2);
    }

    [Fact]
    public async Task JpegMagicIsAcceptedAndHandedToTheClassifier()
    {
        var classifier = new FakeColourClassifier();
        await using var host = await StartAsync(classifier);
        // The fake only decodes PNG, so a (fake) JPEG reaches it and comes back as the classifier's error → 422.
        var response = await host.Client.PostAsync("/api/classify", Upload([0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3], "snap.jpg", contentType: "image/jpeg"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("snap.jpg", classifier.Seen);
    }

    [Fact]
    public async Task TruncatedImageIs422WithAPlainMessageAndTheReasonInTheLog()
    {
        var log = new ListLoggerProvider();
        await using var host = await StartAsync(configure: b => b.Logging.AddProvider(log).SetMinimumLevel(LogLevel.Information));
        var response = await host.Client.PostAsync("/api/classify", Upload(TestImages.TruncatedPng(), "half.png"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var error = await ErrorOf(response);
        Assert.Equal("half.png: " + ClassifyEndpoint.UnreadablePhoto, error);
        Assert.DoesNotContain("PNG", error);
        Assert.Contains(log.Messages, m => m.Contains("half.png") && m.Contains("truncated PNG"));
    }

    [Fact]
    public async Task DecompressionBombIs422WithoutDecoderTextForTheCustomer()
    {
        var log = new ListLoggerProvider();
        await using var host = await StartAsync(configure: b => b.Logging.AddProvider(log).SetMinimumLevel(LogLevel.Information));
        var response = await host.Client.PostAsync("/api/classify", Upload(TestImages.BombPng(), "bomb.png"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var error = await ErrorOf(response);
        Assert.DoesNotContain("ImageDecodeOptions", error);
        Assert.DoesNotContain("bomb?", error);
        Assert.Contains(log.Messages, m => m.Contains("bomb.png") && m.Contains("decompression bomb"));
    }

    [Fact]
    public async Task UploadOverTheSizeLimitIs413()
    {
        await using var host = await StartAsync(maxUpload: 32 * 1024);
        var big = new byte[40 * 1024];
        TestImages.SolidPng(TestImages.Donut).AsSpan(0, 8).CopyTo(big);
        var response = await host.Client.PostAsync("/api/classify", Upload(big));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("larger than the", await ErrorOf(response));
    }

    [Fact]
    public async Task UploadFarOverTheLimitIsRefusedBeforeReadingIt()
    {
        await using var host = await StartAsync(maxUpload: 32 * 1024);
        var response = await host.Client.PostAsync("/api/classify", Upload(new byte[2 * 1024 * 1024]));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("0 MB limit", await ErrorOf(response));
    }

    [Theory]
    [InlineData("text", "not an image")]
    [InlineData("gif", "a GIF image")]
    [InlineData("pdf", "a PDF document")]
    [InlineData("heic", "a HEIC/HEIF photo")]
    [InlineData("avif", "an AVIF image")]
    public async Task NonImagesAre415NamingWhatWasSent(string kind, string expected)
    {
        var data = kind switch
        {
            "text" => Encoding.UTF8.GetBytes("hello, I am not a photo"),
            "gif" => Encoding.ASCII.GetBytes("GIF89a\x01\x00\x01\x00"),
            "heic" => Encoding.ASCII.GetBytes("\0\0\0\u0018ftypheic\0\0\0\0mif1heic"),
            "avif" => Encoding.ASCII.GetBytes("\0\0\0\u0018ftypavif\0\0\0\0mif1avif"),
            _ => Encoding.ASCII.GetBytes("%PDF-1.7 ..."),
        };
        await using var host = await StartAsync();
        // The client claims image/png: the server trusts only the bytes.
        var response = await host.Client.PostAsync("/api/classify", Upload(data, "photo.png"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        var error = await ErrorOf(response);
        Assert.Contains(expected, error);
        Assert.Contains("JPEG, PNG or WebP", error);
    }

    [Fact]
    public async Task MissingImageFieldIs400NamingTheFieldsSent()
    {
        await using var host = await StartAsync();
        var response = await host.Client.PostAsync("/api/classify", Upload(TestImages.SolidPng(TestImages.Donut), field: "photo"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await ErrorOf(response);
        Assert.Contains("missing file field 'image'", error);
        Assert.Contains("'photo'", error);
    }

    [Fact]
    public async Task EmptyFileIs400()
    {
        await using var host = await StartAsync();
        var response = await host.Client.PostAsync("/api/classify", Upload([], "empty.png"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("empty.png: the file is empty", await ErrorOf(response));
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("image/png")]
    [InlineData("application/x-www-form-urlencoded")]
    public async Task WrongContentTypeIs415(string contentType)
    {
        await using var host = await StartAsync();
        var content = new ByteArrayContent(TestImages.SolidPng(TestImages.Donut));
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        var response = await host.Client.PostAsync("/api/classify", content);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("multipart/form-data", await ErrorOf(response));
    }

    [Fact]
    public async Task MultipartWithoutBoundaryIs4xx()
    {
        await using var host = await StartAsync();
        var content = new ByteArrayContent("--x\r\n\r\n"u8.ToArray());
        content.Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data");
        var response = await host.Client.PostAsync("/api/classify", content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("boundary", await ErrorOf(response));
    }

    [Fact]
    public async Task ClientFileNamesAreLabelsNotPaths()
    {
        var classifier = new FakeColourClassifier();
        await using var host = await StartAsync(classifier);
        var response = await host.Client.PostAsync("/api/classify", Upload(TestImages.SolidPng(TestImages.Cheesecake), "../../etc/\u0001cron.d/evil.png"));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("evil.png", body.GetProperty("image").GetString());
        Assert.Contains("evil.png", classifier.Seen);
        Assert.Equal(["orders.db", "orders.db-shm", "orders.db-wal"], Directory.GetFiles(_dir.Path).Select(Path.GetFileName).Order());
    }

    public void Dispose() => _dir.Dispose();
}
