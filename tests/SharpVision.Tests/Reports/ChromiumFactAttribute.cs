using SharpVision.Tests.Support;

namespace SharpVision.Tests.Reports;

/// <summary>A test that drives headless Chromium (/usr/bin/chromium, installed by ./run test). Skipped outside CI when it is missing.</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    /// <summary>Path of the browser.</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>Marks the test.</summary>
    public ChromiumFactAttribute()
    {
        if (!File.Exists(ChromiumPath) && !TestPaths.InCi) Skip = $"{ChromiumPath} not installed";
    }
}
