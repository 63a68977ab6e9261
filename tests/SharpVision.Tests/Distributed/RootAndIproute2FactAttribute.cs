using SharpVision.Tests.Support;

namespace SharpVision.Tests.Distributed;

/// <summary>
/// A test that builds network namespaces: it needs root and iproute2's <c>ip</c>. Outside CI it is skipped with that
/// reason when either is missing; in CI (CI=true, which runs as root with iproute2 from ./run's test packages) it always
/// runs. Name such tests with "RequiresRootAndIproute2".
/// </summary>
public sealed class RootAndIproute2FactAttribute : FactAttribute
{
    /// <summary>Marks a test that needs root and iproute2.</summary>
    public RootAndIproute2FactAttribute()
    {
        if (TestPaths.InCi) return;
        if (!OperatingSystem.IsLinux()) Skip = "needs Linux network namespaces";
        else if (!Environment.IsPrivilegedProcess) Skip = "needs root to create network namespaces (ip netns add); run the tests as root";
        else if (NetnsPair.IpCommand is null) Skip = "needs iproute2's ip command (apt-get install iproute2)";
    }
}
