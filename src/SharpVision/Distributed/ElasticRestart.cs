using System.Globalization;

namespace SharpVision.Distributed;

/// <summary>
/// The restart attempt of this process's group, as <see cref="WorkerLauncher"/> and torchrun's elastic agent set it in
/// TORCHELASTIC_RESTART_COUNT: 0 (or unset) for the first start.
/// </summary>
public static class ElasticRestart
{
    /// <summary>The attempt number; 0 when unset or not a number.</summary>
    public static int Count =>
        int.TryParse(Environment.GetEnvironmentVariable(WorkerLauncher.RestartCountVariable), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 0;

    /// <summary>True when this process belongs to a restarted group (which must resume from its last checkpoint).</summary>
    public static bool IsRestart => Count > 0;
}
