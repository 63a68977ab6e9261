using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using SharpVision.Checkout;
using SharpVision.Data;
using SharpVision.Evaluation;
using SharpVision.Imaging;
using SharpVision.Inference;
using SharpVision.Tests.Checkout;
using SharpVision.Tests.Explain;
using SharpVision.Tests.Support;

namespace SharpVision.Tests.OpenSet;

/// <summary>The till's "I don't recognise this" path: the real model classifier, the classify JSON and the customer page.</summary>
public sealed class UnknownCheckoutTests : IDisposable
{
    private readonly TempDirectory dir = new("sv-unknown-till");

    public void Dispose() => dir.Dispose();

    /// <summary>The fake colour model, except that blue photos (far from every pastry) are "unknown".</summary>
    private sealed class BlueIsUnknownClassifier : IImageClassifier
    {
        private readonly FakeColourClassifier inner = new();

        public ClassifierInfo Info => inner.Info;

        public IReadOnlyList<ClassificationOutcome> ClassifyBatch(IReadOnlyList<EncodedImage> images, int topK) =>
            inner.ClassifyBatch(images, topK).Select((o, i) =>
            {
                if (o.Error is not null) return o;
                var (r, _, b) = TestImages.MeanColour(images[i].Data);
                return b > 200 && r < 100 ? o with { Known = false } : o;
            }).ToList();
    }

    private static MultipartFormDataContent Upload(byte[] png)
    {
        var file = new ByteArrayContent(png);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        return new MultipartFormDataContent { { file, "image", "photo.png" } };
    }

    [Fact]
    public void ModelClassifierMarksNoiseUnknownWithACalibratedModel()
    {
        var data = dir.File("data");
        ColourSquares.WriteFolder(data, perClass: 20, seed: 7);
        var model = dir.File("model.safetensors");
        ColourSquares.TrainAndSave(model, steps: 60, seed: 1);
        var (train, validation) = DatasetSplit.Stratified(ImageFolderDataset.Open(data), 0.5, 0);
        UnknownCalibrator.CalibrateModelFile(model, train, validation);

        using var till = ModelImageClassifier.Load(model);
        var noise = new RgbImage(32, 32);
        new Random(5).NextBytes(noise.Pixels);
        var outcomes = till.ClassifyBatch([new EncodedImage(PngEncoder.Encode(noise), "noise.png"),
            new EncodedImage(PngEncoder.Encode(ColourSquares.Make(2, 4242)), "red.png"),
            new EncodedImage(WebPEncoder.Encode(ColourSquares.Make(0, 4243), quality: null), "blue.webp"),
            new EncodedImage("\u0000\u0000\u0000\u0018ftypheic\u0000\u0000\u0000\u0000"u8.ToArray(), "phone.heic")], 3);
        Assert.False(outcomes[0].Known);
        Assert.NotNull(outcomes[0].TopK); // the guesses are still there for staff
        Assert.True(outcomes[1].Known);
        Assert.Equal("red", outcomes[1].TopK![0].Class);
        Assert.Equal("blue", outcomes[2].TopK![0].Class); // a phone browser's WebP
        Assert.Contains("unsupported format: HEIC/HEIF", outcomes[3].Error);
    }

    [Fact]
    public async Task ClassifyAnswersKnownFalseAndAsksTheCustomer()
    {
        await using var host = await CheckoutHost.StartAsync(new CheckoutOptions { SqlitePath = dir.File("orders.db") }, new BlueIsUnknownClassifier());
        var blue = await (await host.Client.PostAsync("/api/classify", Upload(TestImages.SolidPng((30, 60, 230))))).Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(blue.GetProperty("known").GetBoolean());
        Assert.True(blue.GetProperty("needsConfirmation").GetBoolean());
        var donut = await (await host.Client.PostAsync("/api/classify", Upload(TestImages.SolidPng(TestImages.Donut)))).Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(donut.GetProperty("known").GetBoolean());
        Assert.False(donut.GetProperty("needsConfirmation").GetBoolean());
    }

    [ChromiumFact]
    public async Task CustomerPageSaysItDoesNotRecogniseThePhotoAndOffersTheMenu()
    {
        await using var host = await CheckoutHost.StartAsync(new CheckoutOptions { SqlitePath = dir.File("orders.db") }, new BlueIsUnknownClassifier(), realPort: true);
        var photo = dir.File("blue.png");
        File.WriteAllBytes(photo, TestImages.SolidPng((30, 60, 230), 320));
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumFactAttribute.Executable,
            Headless = true,
            Args = ["--no-sandbox", "--headless=new", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"],
        });
        var page = await browser.NewPageAsync();
        await page.GotoAsync(host.BaseUrl + "/");
        await Assertions.Expect(page.Locator("#model-info")).ToContainTextAsync("fake-colour");
        await page.Locator("#file-input").SetInputFilesAsync(photo);
        await Assertions.Expect(page.Locator("#choices")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#choices-hint")).ToHaveTextAsync("I don\u2019t recognise this \u2014 please choose from the menu or call staff.");
        // The whole menu, not the model's three guesses, and nothing added by itself.
        await Assertions.Expect(page.Locator("#choice-list button")).ToHaveCountAsync(5);
        await Assertions.Expect(page.Locator("#basket li")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#call-staff")).ToBeVisibleAsync();
        await page.Locator("#choice-list button[data-class=macarons]").ClickAsync();
        await Assertions.Expect(page.Locator("#basket li[data-class=macarons]")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#result-confidence")).ToHaveTextAsync("chosen from the menu");
    }
}
