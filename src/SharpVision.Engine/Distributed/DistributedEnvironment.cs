using System.Globalization;

namespace SharpVision.Engine.Distributed;

/// <summary>
/// torchrun's environment contract, which <c>sharpvision launch</c>, torchrun, Kubeflow's PyTorchJob and SLURM scripts
/// all set: MASTER_ADDR, MASTER_PORT, WORLD_SIZE, RANK and LOCAL_RANK.
/// </summary>
public static class DistributedEnvironment
{
    /// <summary>Host of rank 0.</summary>
    public const string MasterAddressVariable = "MASTER_ADDR";
    /// <summary>Port of the store on rank 0.</summary>
    public const string MasterPortVariable = "MASTER_PORT";
    /// <summary>Number of processes.</summary>
    public const string WorldSizeVariable = "WORLD_SIZE";
    /// <summary>Global rank of this process.</summary>
    public const string RankVariable = "RANK";
    /// <summary>Rank of this process on its machine.</summary>
    public const string LocalRankVariable = "LOCAL_RANK";
    /// <summary>Optional timeout in seconds of the rendezvous and each collective (SharpVision's own variable).</summary>
    public const string TimeoutVariable = "SHARPVISION_DIST_TIMEOUT";

    /// <summary>True when MASTER_ADDR, MASTER_PORT, WORLD_SIZE and RANK are all set (this process was started as one rank of a job).</summary>
    public static bool IsPresent =>
        !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(MasterAddressVariable))
        && !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(MasterPortVariable))
        && !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(WorldSizeVariable))
        && !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(RankVariable));

    /// <summary>
    /// Reads the contract into <see cref="DistributedOptions"/>. LOCAL_RANK defaults to 0; the timeout comes from
    /// <paramref name="timeout"/>, else SHARPVISION_DIST_TIMEOUT (seconds), else <see cref="DistributedOptions.DefaultTimeout"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">A variable is missing or malformed (the message names it).</exception>
    public static DistributedOptions Read(TimeSpan? timeout = null, DistributedBackend backend = DistributedBackend.Auto)
    {
        var address = Required(MasterAddressVariable);
        var port = Integer(MasterPortVariable, Required(MasterPortVariable));
        var worldSize = Integer(WorldSizeVariable, Required(WorldSizeVariable));
        var rank = Integer(RankVariable, Required(RankVariable));
        var localText = Environment.GetEnvironmentVariable(LocalRankVariable);
        var localRank = string.IsNullOrEmpty(localText) ? 0 : Integer(LocalRankVariable, localText);
        var resolvedTimeout = timeout ?? DistributedOptions.DefaultTimeout;
        if (timeout is null && Environment.GetEnvironmentVariable(TimeoutVariable) is { Length: > 0 } t)
        {
            if (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) || s <= 0)
                throw new InvalidOperationException($"environment variable {TimeoutVariable}='{t}' is not a positive number of seconds");
            resolvedTimeout = TimeSpan.FromSeconds(s);
        }
        var options = new DistributedOptions
        {
            MasterAddress = address,
            MasterPort = port,
            WorldSize = worldSize,
            Rank = rank,
            LocalRank = localRank,
            Timeout = resolvedTimeout,
            Backend = backend,
        };
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException($"the distributed environment variables are inconsistent: {e.Message}", e);
        }
        return options;
    }

    private static string Required(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } v
            ? v
            : throw new InvalidOperationException(
                $"environment variable {name} is not set; a distributed run needs {MasterAddressVariable}, {MasterPortVariable}, {WorldSizeVariable} and {RankVariable} (set by 'sharpvision launch' or torchrun)");

    private static int Integer(string name, string text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw new InvalidOperationException($"environment variable {name}='{text}' is not an integer");
}
