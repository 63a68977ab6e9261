using Microsoft.AspNetCore.Builder;

namespace SharpVision.Checkout;

/// <summary>Settings of the checkout web app. Every property has a sensible default for a single café till.</summary>
public sealed class CheckoutOptions
{
    /// <summary>
    /// The default SQLite file, in a data folder that a rebuild or redeploy of the application does not touch: the
    /// user's local data directory (<c>~/.local/share/SharpVision/checkout/orders.db</c> on Linux, <c>%LOCALAPPDATA%</c>
    /// on Windows), or <c>sharpvision-data/orders.db</c> in the working directory when the user has none.
    /// </summary>
    public static string DefaultDatabasePath
    {
        get
        {
            var data = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
            return string.IsNullOrEmpty(data)
                ? Path.GetFullPath(Path.Combine("sharpvision-data", "orders.db"))
                : Path.Combine(data, "SharpVision", "checkout", "orders.db");
        }
    }

    /// <summary>A catalogue file (.json or .csv); ignored when <see cref="Catalogue"/> is set; neither = the café's default.</summary>
    public string? CataloguePath { get; set; }

    /// <summary>A catalogue object; wins over <see cref="CataloguePath"/>.</summary>
    public ProductCatalogue? Catalogue { get; set; }

    /// <summary>The SQLite database file; null = <see cref="DefaultDatabasePath"/>. Unused when <see cref="PostgresConnectionString"/> is set.</summary>
    public string? SqlitePath { get; set; }

    /// <summary>An Npgsql connection string; when set, orders go to PostgreSQL instead of SQLite.</summary>
    public string? PostgresConnectionString { get; set; }

    /// <summary>The address to listen on; loopback by default so the till is not exposed by accident.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>The TCP port; 0 picks a free one (read it back from <c>app.Urls</c> after start).</summary>
    public int Port { get; set; } = 5080;

    /// <summary>The largest accepted image upload in bytes (10 MB).</summary>
    public long MaxUploadBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>Below this top-1 probability the till asks the customer to choose instead of guessing.</summary>
    public double ConfidenceThreshold { get; set; } = 0.6;

    /// <summary>How long the batcher waits after a batch's first request for more requests.</summary>
    public TimeSpan BatchWindow { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>The most images in one forward pass.</summary>
    public int MaxBatch { get; set; } = 16;

    /// <summary>How many classes to return per image (capped at the number of classes).</summary>
    public int TopK { get; set; } = 3;

    /// <summary>The most lines (distinct products) in one order.</summary>
    public int MaxOrderLines { get; set; } = 50;

    /// <summary>The most of one product in one order line.</summary>
    public int MaxQuantity { get; set; } = 99;

    /// <summary>The clock (orders' time and business day); the system clock unless a test replaces it.</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    /// <summary>The café's time zone, which decides an order's business day; the machine's local zone by default.</summary>
    public TimeZoneInfo TimeZone { get; set; } = TimeZoneInfo.Local;

    /// <summary>
    /// The staff password (as a hash only). Null = the staff area is disabled: nobody can sign in, so the order list,
    /// CSV export, day report, voids and cash confirmation are unreachable (the safe default).
    /// </summary>
    public StaffCredential? StaffCredential { get; set; }

    /// <summary>Sign-in attempts allowed per client address per minute (failed guesses are throttled by this).</summary>
    public int StaffSignInAttemptsPerMinute { get; set; } = 5;

    /// <summary>How long a staff cookie session or bearer token stays valid.</summary>
    public TimeSpan StaffSessionLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>
    /// Host names (or IP literals) the till answers besides the loopback names and the bound address; any other
    /// <c>Host</c> header gets 400 (a DNS-rebinding page cannot reach the till). "*" allows every host (not advised).
    /// </summary>
    public IReadOnlyList<string> AllowedHosts { get; set; } = [];

    /// <summary>A card terminal (or other payment provider); null = customers pay at the counter and staff confirm cash.</summary>
    public IPaymentProvider? PaymentProvider { get; set; }

    /// <summary>After recognition has been idle this long, the server returns freed memory to the OS (compacting GC, malloc_trim). Zero disables.</summary>
    public TimeSpan IdleTrimDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>A hook to adjust the host before it is built (tests use it for <c>UseTestServer()</c> or logging).</summary>
    public Action<WebApplicationBuilder>? ConfigureBuilder { get; set; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad setting.</summary>
    public void Validate()
    {
        if (Port is < 0 or > 65535) throw new ArgumentException($"Port must be 0..65535, got {Port}", nameof(Port));
        if (string.IsNullOrWhiteSpace(Host)) throw new ArgumentException("Host must not be empty", nameof(Host));
        if (MaxUploadBytes <= 0) throw new ArgumentException($"MaxUploadBytes must be positive, got {MaxUploadBytes}", nameof(MaxUploadBytes));
        if (ConfidenceThreshold is < 0 or > 1) throw new ArgumentException($"ConfidenceThreshold must be in [0, 1], got {ConfidenceThreshold}", nameof(ConfidenceThreshold));
        if (BatchWindow < TimeSpan.Zero || BatchWindow > TimeSpan.FromSeconds(1)) throw new ArgumentException($"BatchWindow must be 0..1 s, got {BatchWindow}", nameof(BatchWindow));
        if (MaxBatch is < 1 or > 1024) throw new ArgumentException($"MaxBatch must be 1..1024, got {MaxBatch}", nameof(MaxBatch));
        if (TopK < 1) throw new ArgumentException($"TopK must be at least 1, got {TopK}", nameof(TopK));
        if (MaxOrderLines < 1) throw new ArgumentException($"MaxOrderLines must be at least 1, got {MaxOrderLines}", nameof(MaxOrderLines));
        if (MaxQuantity < 1) throw new ArgumentException($"MaxQuantity must be at least 1, got {MaxQuantity}", nameof(MaxQuantity));
        if (StaffSignInAttemptsPerMinute < 1)
            throw new ArgumentException($"StaffSignInAttemptsPerMinute must be at least 1, got {StaffSignInAttemptsPerMinute}", nameof(StaffSignInAttemptsPerMinute));
        if (StaffSessionLifetime <= TimeSpan.Zero) throw new ArgumentException($"StaffSessionLifetime must be positive, got {StaffSessionLifetime}", nameof(StaffSessionLifetime));
        if (IdleTrimDelay < TimeSpan.Zero) throw new ArgumentException($"IdleTrimDelay must not be negative, got {IdleTrimDelay}", nameof(IdleTrimDelay));
        foreach (var h in AllowedHosts)
            if (string.IsNullOrWhiteSpace(h) || h.Contains('/') || h.Contains(' '))
                throw new ArgumentException($"AllowedHosts: '{h}' is not a host name", nameof(AllowedHosts));
    }
}
