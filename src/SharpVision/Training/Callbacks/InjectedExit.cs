using System.Globalization;
using SharpVision.Distributed;

namespace SharpVision.Training.Callbacks;

/// <summary>
/// Test hook, not a user feature: SHARPVISION_INTERNAL_EXIT_AT="RANK:EPOCH" makes that rank exit with code 3 at the
/// start of that (0-based) epoch, in the first attempt of a group only, so tests can check that `launch --max-restarts`
/// recovers from a worker that dies mid-run.
/// </summary>
internal sealed class InjectedExit : Callback
{
    private const string Variable = "SHARPVISION_INTERNAL_EXIT_AT";
    private readonly int epoch;

    private InjectedExit(int epoch) => this.epoch = epoch;

    /// <summary>The hook for <paramref name="rank"/>, or null when the variable does not name it (or this is a restart).</summary>
    public static InjectedExit? FromEnvironment(int rank)
    {
        if (ElasticRestart.IsRestart || Environment.GetEnvironmentVariable(Variable) is not { Length: > 0 } text) return null;
        var parts = text.Split(':');
        var inv = CultureInfo.InvariantCulture;
        return parts.Length == 2 && int.TryParse(parts[0], NumberStyles.Integer, inv, out var r) && int.TryParse(parts[1], NumberStyles.Integer, inv, out var e) && r == rank
            ? new InjectedExit(e)
            : null;
    }

    /// <inheritdoc />
    public override void OnEpochBegin(TrainingContext context, int epoch)
    {
        if (epoch != this.epoch) return;
        Console.Error.WriteLine($"exiting at the start of epoch {epoch} ({Variable})");
        Environment.Exit(3);
    }
}
