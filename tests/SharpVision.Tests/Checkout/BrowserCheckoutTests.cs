using Microsoft.Playwright;
using SharpVision.Checkout;
using SharpVision.Tests.Support;

namespace SharpVision.Tests.Checkout;

/// <summary>A Chromium-only test: skipped locally when Debian's chromium is missing; in CI (CI=true) it runs and fails loudly.</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    /// <summary>Debian's Chromium.</summary>
    public const string Executable = "/usr/bin/chromium";

    /// <summary>Marks the test.</summary>
    public ChromiumFactAttribute()
    {
        if (!File.Exists(Executable) && !TestPaths.InCi) Skip = $"{Executable} not installed (apt-get install chromium)";
    }
}

/// <summary>A Chromium test that also reads ../shared: skipped locally when either is missing; in CI both must be there.</summary>
public sealed class ChromiumSharedDataFactAttribute : FactAttribute
{
    /// <summary>Marks the test.</summary>
    public ChromiumSharedDataFactAttribute(string relativePath)
    {
        var p = Path.Combine(TestPaths.SharedRoot, relativePath);
        if (TestPaths.InCi) return;
        if (!File.Exists(ChromiumFactAttribute.Executable)) Skip = $"{ChromiumFactAttribute.Executable} not installed (apt-get install chromium)";
        else if (!File.Exists(p) && !Directory.Exists(p)) Skip = $"shared data not found: {p}";
    }
}

/// <summary>
/// The customer journey in a real browser: Playwright (its bundled node driver, no browser download) drives Debian's
/// Chromium against the app on a real loopback port.
/// </summary>
public sealed class BrowserCheckoutTests : IDisposable
{
    private readonly TempDirectory _dir = new("sv-checkout");

    [ChromiumFact]
    public async Task CustomerUploadsAPhotoSeesTheItemPaysAndGetsAReceipt()
    {
        await using var host = await CheckoutHost.StartAsync(new CheckoutOptions { SqlitePath = _dir.File("orders.db") }, new FakeColourClassifier(), realPort: true);
        Assert.StartsWith("http://127.0.0.1:", host.BaseUrl);
        var photo = _dir.File("donut.png");
        File.WriteAllBytes(photo, TestImages.SolidPng(TestImages.Donut, 320));
        var unsure = _dir.File("unsure.png");
        File.WriteAllBytes(unsure, TestImages.SolidPng(TestImages.Ambiguous, 320));

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 860 } });
        var consoleErrors = new List<string>();
        page.Console += (_, m) => { if (m.Type == "error") consoleErrors.Add(m.Text); };
        await page.GotoAsync(host.BaseUrl + "/");
        await Assertions.Expect(page.Locator("#model-info")).ToContainTextAsync("fake-colour");

        // A clear photo: recognised, priced and added straight away.
        await page.Locator("#file-input").SetInputFilesAsync(photo);
        await Assertions.Expect(page.Locator("#result-name")).ToHaveTextAsync("Donut");
        await Assertions.Expect(page.Locator("#result-price")).ToContainTextAsync("690");
        await Assertions.Expect(page.Locator("#result-confidence")).ToContainTextAsync("% sure");
        await Assertions.Expect(page.Locator("#basket li")).ToHaveCountAsync(1);

        // An unclear one: the till asks instead of guessing; the customer picks Pancake.
        await page.Locator("#file-input").SetInputFilesAsync(unsure);
        await Assertions.Expect(page.Locator("#choices")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#choice-list button")).ToHaveCountAsync(3);
        await page.Locator("#choice-list button[data-class=pancakes]").ClickAsync();
        await Assertions.Expect(page.Locator("#basket li")).ToHaveCountAsync(2);
        await page.Locator("#basket li[data-class=donuts] .plus").ClickAsync();
        await Assertions.Expect(page.Locator("#basket li[data-class=donuts] .qty span")).ToHaveTextAsync("2");
        // 2 × 690 + 1190; Hungarian formatting may or may not group four digits, so compare without spaces.
        Assert.Equal("2570Ft", Squash(await page.Locator("#total").InnerTextAsync()));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = ScreenshotPath("checkout-basket.png"), FullPage = true });

        // Pay places the order; it is paid once staff confirm the cash (here as a script with a bearer token).
        await page.Locator("#pay").ClickAsync();
        await Assertions.Expect(page.Locator("#awaiting")).ToBeVisibleAsync();
        var number = (await page.Locator("#awaiting-number").InnerTextAsync()).TrimStart('#');
        Assert.True(long.TryParse(number, out var id) && id > 0, $"order number '{number}'");
        Assert.Equal("2570Ft", Squash(await page.Locator("#awaiting-total").InnerTextAsync()));
        await Assertions.Expect(page.Locator("#receipt")).ToBeHiddenAsync();
        await host.PayCashAsync(id);
        await Assertions.Expect(page.Locator("#receipt")).ToBeVisibleAsync();
        Assert.Equal("#" + id, await page.Locator("#receipt-number").InnerTextAsync());
        await Assertions.Expect(page.Locator("#receipt-items tr")).ToHaveCountAsync(2);
        Assert.Equal("2570Ft", Squash(await page.Locator("#receipt-total").InnerTextAsync()));
        await Assertions.Expect(page.Locator("#receipt-business")).ToContainTextAsync(CatalogueSettings.Default.BusinessName);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = ScreenshotPath("checkout-receipt.png"), FullPage = true });

        // The receipt is what the server committed.
        var stored = await (await host.StaffAsync()).GetStringAsync($"/api/orders/{id}");
        Assert.Contains("\"total\":2570", stored);
        Assert.Contains("\"status\":\"paid\"", stored);
        Assert.Empty(consoleErrors);
    }

    // The camera path. Each case is one photo played by Chromium's fake camera.
    [ChromiumSharedDataFact("photos/rocket.jpg")]
    public async Task SharedCameraCaptureOfANonFoodPhotoIsNotRecognisedAndOffersTheWholeMenu()
    {
        var references = Food5References();
        // Like a calibrated model: a photo far from every pastry is "unknown" (the same photo through the camera is within tens).
        await using var host = await CheckoutHost.StartAsync(new CheckoutOptions { SqlitePath = _dir.File("orders.db") },
            new ReferencePhotoClassifier(references, unknownBeyond: 600), realPort: true);

        using var playwright = await Playwright.CreateAsync();
        await using var camera = await CaptureWithCameraAsync(playwright, host, TestPaths.Shared(Path.Combine("photos", "rocket.jpg")));
        var page = camera.Page;
        await Assertions.Expect(page.Locator("#choices")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#choices-hint")).ToContainTextAsync("recognise this");
        await Assertions.Expect(page.Locator("#choices-hint")).ToContainTextAsync("choose from the menu or call staff");
        // The whole menu is offered, nothing is priced or put in the basket by itself.
        await Assertions.Expect(page.Locator("#choice-list button.choice")).ToHaveCountAsync(references.Count);
        await Assertions.Expect(page.Locator("#basket li")).ToHaveCountAsync(0);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = ScreenshotPath("camera-unknown.png"), FullPage = true });
        Assert.Empty(camera.ConsoleErrors);
    }

    private static Dictionary<string, string> Food5References() =>
        new[] { "cheesecake", "donuts", "ice_cream", "macarons", "pancakes" }.ToDictionary(c => c, c =>
            Directory.GetFiles(TestPaths.Shared(Path.Combine("datasets", "food5-64-train", c)), "*.jpg").Order(StringComparer.Ordinal).First());

    [ChromiumSharedDataFact("datasets/food5-64-train")]
    public async Task SharedCameraCaptureOfAFood5PhotoIsPricedPaidByStaffCashAndListedOnTheStaffPage()
    {
        var references = Food5References();
        await using var host = await CheckoutHost.StartAsync(new CheckoutOptions { SqlitePath = _dir.File("orders.db") },
            new ReferencePhotoClassifier(references, unknownBeyond: 600), realPort: true);

        using var playwright = await Playwright.CreateAsync();
        await using var camera = await CaptureWithCameraAsync(playwright, host, references["donuts"]);
        var page = camera.Page;
        await Assertions.Expect(page.Locator("#result-name")).ToHaveTextAsync("Donut");
        await Assertions.Expect(page.Locator("#result-price")).ToContainTextAsync("690");
        await Assertions.Expect(page.Locator("#basket li[data-class=donuts]")).ToHaveCountAsync(1);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = ScreenshotPath("camera-recognised.png"), FullPage = true });

        await page.Locator("#pay").ClickAsync();
        await Assertions.Expect(page.Locator("#awaiting")).ToBeVisibleAsync();
        var id = long.Parse((await page.Locator("#awaiting-number").InnerTextAsync()).TrimStart('#'));

        // Staff, in their own browser session: the staff page sends them to sign in, then lists the unpaid order.
        var staff = await camera.Browser.NewPageAsync();
        staff.Console += (_, m) => { if (m.Type == "error") camera.ConsoleErrors.Add("staff: " + m.Text); };
        await staff.GotoAsync(host.BaseUrl + "/staff");
        await Assertions.Expect(staff).ToHaveURLAsync(host.BaseUrl + "/staff/sign-in");
        await staff.Locator("#name").FillAsync("Anna");
        await staff.Locator("#password").FillAsync(CheckoutHost.StaffPassword);
        await staff.Locator("#sign-in").ClickAsync();
        await Assertions.Expect(staff).ToHaveURLAsync(host.BaseUrl + "/staff");
        var row = staff.Locator($"#orders tr[data-id='{id}']");
        await Assertions.Expect(row).ToHaveAttributeAsync("data-status", "created");
        await row.Locator("button.confirm-cash").ClickAsync();
        await Assertions.Expect(row).ToHaveAttributeAsync("data-status", "paid");
        await Assertions.Expect(row).ToContainTextAsync("paid (cash, Anna)");
        Assert.Equal("690Ft", Squash(await staff.Locator("#day-total").InnerTextAsync()));
        await staff.ScreenshotAsync(new PageScreenshotOptions { Path = ScreenshotPath("camera-staff.png"), FullPage = true });

        // The customer's screen turns into the receipt by itself.
        await Assertions.Expect(page.Locator("#receipt")).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 10_000 });
        Assert.Equal("#" + id, await page.Locator("#receipt-number").InnerTextAsync());
        Assert.Equal("690Ft", Squash(await page.Locator("#receipt-total").InnerTextAsync()));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = ScreenshotPath("camera-receipt.png"), FullPage = true });
        Assert.Empty(camera.ConsoleErrors);
    }

    /// <summary>A Chromium whose camera plays <paramref name="photo"/>, on the till page, after "Use camera" and "Take photo".</summary>
    private async Task<CameraSession> CaptureWithCameraAsync(IPlaywright playwright, CheckoutHost host, string photo)
    {
        var video = _dir.File(Path.GetFileNameWithoutExtension(photo) + ".y4m");
        Y4mVideo.Write(video, SharpVision.Imaging.ImageDecoder.DecodeFile(photo));
        var browser = await LaunchAsync(playwright, "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream", "--use-file-for-fake-video-capture=" + video);
        var session = new CameraSession(browser, await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 860 } }));
        session.Page.Console += (_, m) => { if (m.Type == "error") session.ConsoleErrors.Add(m.Text); };
        await session.Page.GotoAsync(host.BaseUrl + "/");
        await Assertions.Expect(session.Page.Locator("#model-info")).ToContainTextAsync("reference-photos");
        await session.Page.Locator("#camera-start").ClickAsync();
        await Assertions.Expect(session.Page.Locator("#camera-capture")).ToBeVisibleAsync();
        await session.Page.WaitForFunctionAsync("() => document.getElementById('camera').videoWidth > 0 && document.getElementById('camera').readyState >= 2");
        await session.Page.Locator("#camera-capture").ClickAsync();
        return session;
    }

    private sealed class CameraSession(IBrowser browser, IPage page) : IAsyncDisposable
    {
        public IBrowser Browser { get; } = browser;

        public IPage Page { get; } = page;

        public List<string> ConsoleErrors { get; } = [];

        public ValueTask DisposeAsync() => new(Browser.CloseAsync());
    }

    private static Task<IBrowser> LaunchAsync(IPlaywright playwright, params string[] extraArgs) =>
        playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumFactAttribute.Executable,
            Headless = true,
            Args = ["--no-sandbox", "--headless=new", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                    "--disable-extensions", "--no-first-run", "--disable-sync", "--metrics-recording-only", "--mute-audio", .. extraArgs],
        });

    private static string Squash(string text) => new(text.Where(c => !char.IsWhiteSpace(c)).ToArray());

    private static string ScreenshotPath(string name)
    {
        var dir = Path.Combine(TestPaths.RepoRoot, "build", "test-results", "checkout");
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, name);
    }

    public void Dispose() => _dir.Dispose();
}
