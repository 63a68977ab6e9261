namespace SharpVision.Tests.Support;

/// <summary>Locations the tests use: the repository root and the shared data folder beside the checkout.</summary>
public static class TestPaths
{
    /// <summary>The repository root (the folder holding SharpVision.slnx).</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>../shared beside the checkout (real photos, Food-101 subset, pretrained weights), or $SHARPVISION_SHARED.</summary>
    public static string SharedRoot =>
        Environment.GetEnvironmentVariable("SHARPVISION_SHARED") is { Length: > 0 } s ? s : Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));

    /// <summary>True when running under CI (CI=true), where missing shared data must fail loudly.</summary>
    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>A path inside the shared folder; throws a clear error when it is missing.</summary>
    public static string Shared(string relative)
    {
        var p = Path.Combine(SharedRoot, relative);
        if (!File.Exists(p) && !Directory.Exists(p))
            throw new FileNotFoundException($"shared test data is missing: {p} (expected ../shared beside the checkout; set SHARPVISION_SHARED to override)");
        return p;
    }

    private static string FindRepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "SharpVision.slnx"))) return d.FullName;
        throw new InvalidOperationException("cannot find the repository root (SharpVision.slnx) above " + AppContext.BaseDirectory);
    }
}
