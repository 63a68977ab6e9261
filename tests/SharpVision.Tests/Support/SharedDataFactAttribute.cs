namespace SharpVision.Tests.Support;

/// <summary>
/// A test that needs ../shared (real data). Outside CI it is skipped when the data is missing; in CI (CI=true) it runs
/// and fails loudly with the missing path. Name such tests with "Shared" so that a reader sees the dependency.
/// </summary>
public sealed class SharedDataFactAttribute : FactAttribute
{
    /// <summary>Marks a test that reads <paramref name="relativePath"/> under the shared folder.</summary>
    public SharedDataFactAttribute(string relativePath)
    {
        var p = Path.Combine(TestPaths.SharedRoot, relativePath);
        if (!File.Exists(p) && !Directory.Exists(p) && !TestPaths.InCi)
            Skip = $"shared data not found: {p}";
    }
}
