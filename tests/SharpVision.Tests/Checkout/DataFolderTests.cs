using Microsoft.Extensions.Logging;
using SharpVision.Checkout;
using SharpVision.Tests.Support;

namespace SharpVision.Tests.Checkout;

/// <summary>Where the sales records live: never in the build output, and the start-up log says where.</summary>
public sealed class DataFolderTests : IDisposable
{
    private readonly TempDirectory _dir = new("sv-checkout");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void TheDefaultDatabaseLivesInTheUsersDataFolderNotInTheBuildOutput()
    {
        var path = CheckoutOptions.DefaultDatabasePath;
        Assert.True(Path.IsPathRooted(path));
        Assert.False(path.StartsWith(AppContext.BaseDirectory, StringComparison.Ordinal), $"{path} is inside the build output");
        Assert.DoesNotContain($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", path);
        var data = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        if (data.Length > 0) Assert.Equal(Path.Combine(data, "SharpVision", "checkout", "orders.db"), path);
    }

    [Fact]
    public async Task TheStartUpLogNamesTheDatabaseFileAndTheAllowedHosts()
    {
        var log = new ListLoggerProvider();
        var options = new CheckoutOptions { SqlitePath = Path.Combine(_dir.File("data"), "orders.db"), ConfigureBuilder = b => b.Logging.AddProvider(log).SetMinimumLevel(LogLevel.Information) };
        await using var host = await CheckoutHost.StartAsync(options, new FakeColourClassifier());
        Assert.Contains($"Information: orders: SQLite {Path.Combine(_dir.File("data"), "orders.db")}", log.Messages);
        Assert.Contains(log.Messages, m => m.StartsWith("Information: allowed hosts: localhost, 127.0.0.1, [::1]", StringComparison.Ordinal));
        Assert.Contains(log.Messages, m => m.StartsWith("Information: staff area: sign in on /staff", StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(_dir.File("data"), "orders.db")));
    }
}
