using System.Runtime.CompilerServices;

namespace SharpVision.Tests.Support;

/// <summary>
/// Points the library at ../shared the way <c>./run</c> does (SHARPVISION_SHARED), so weights resolve by name
/// ("mobilenet_v2") in tests and in the CLI processes they start; the library itself never searches a repository.
/// </summary>
internal static class SharedEnvironment
{
#pragma warning disable CA2255 // Runs once before any test: the environment is process-wide.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Apply()
    {
        if (Environment.GetEnvironmentVariable("SHARPVISION_SHARED") is { Length: > 0 }) return;
        var shared = TestPaths.SharedRoot;
        if (Directory.Exists(shared)) Environment.SetEnvironmentVariable("SHARPVISION_SHARED", shared);
    }
}
