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
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumFactAttribute.Executable,
            Headless = true,
            Args = ["--no-sandbox", "--headless=new", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                    "--disable-extensions", "--no-first-run", "--disable-sync", "--metrics-recording-only", "--mute-audio"],
        });
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

        await page.Locator("#pay").ClickAsync();
        await Assertions.Expect(page.Locator("#receipt")).ToBeVisibleAsync();
        var number = (await page.Locator("#receipt-number").InnerTextAsync()).TrimStart('#');
        Assert.True(long.TryParse(number, out var id) && id > 0, $"receipt number '{number}'");
        await Assertions.Expect(page.Locator("#receipt-items tr")).ToHaveCountAsync(2);
        Assert.Equal("2570Ft", Squash(await page.Locator("#receipt-total").InnerTextAsync()));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = ScreenshotPath("checkout-receipt.png"), FullPage = true });

        // The receipt is what the server committed.
        var stored = await host.Client.GetStringAsync($"/api/orders/{id}");
        Assert.Contains("\"total\":2570", stored);
        Assert.Empty(consoleErrors);
    }

    private static string Squash(string text) => new(text.Where(c => !char.IsWhiteSpace(c)).ToArray());

    private static string ScreenshotPath(string name)
    {
        var dir = Path.Combine(TestPaths.RepoRoot, "build", "test-results", "checkout");
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, name);
    }

    public void Dispose() => _dir.Dispose();
}
