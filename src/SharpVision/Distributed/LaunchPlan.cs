using System.Reflection;

namespace SharpVision.Distributed;

/// <summary>What <see cref="WorkerLauncher"/> starts: <see cref="Workers"/> copies of one command on this machine.</summary>
/// <param name="Workers">Number of worker processes (WORLD_SIZE).</param>
/// <param name="MasterPort">Rendezvous port on 127.0.0.1 (MASTER_PORT).</param>
/// <param name="ThreadsPerWorker">Intra-op threads of each worker (SHARPVISION_THREADS).</param>
/// <param name="Arguments">Arguments of every worker after <see cref="PrefixArguments"/>.</param>
public sealed record LaunchPlan(int Workers, int MasterPort, int ThreadsPerWorker, IReadOnlyList<string> Arguments)
{
    /// <summary>The program to start; by default this process's own executable (see <see cref="CurrentExecutable"/>).</summary>
    public string FileName { get; init; } = CurrentExecutable().FileName;

    /// <summary>Arguments before <see cref="Arguments"/>: the entry assembly when running under <c>dotnet</c>.</summary>
    public IReadOnlyList<string> PrefixArguments { get; init; } = CurrentExecutable().Prefix;

    /// <summary>MASTER_ADDR given to the workers.</summary>
    public string MasterAddress { get; init; } = "127.0.0.1";

    /// <summary>
    /// How to start this program again: the apphost itself, or <c>dotnet &lt;entry assembly&gt;</c> when this process is
    /// <c>dotnet SharpVision.Cli.dll</c>.
    /// </summary>
    public static (string FileName, string[] Prefix) CurrentExecutable()
    {
        var process = Environment.ProcessPath ?? throw new InvalidOperationException("the path of this process's executable is unknown");
        var entry = Assembly.GetEntryAssembly()?.Location;
        var isDotnetHost = Path.GetFileNameWithoutExtension(process).Equals("dotnet", StringComparison.OrdinalIgnoreCase);
        return isDotnetHost && !string.IsNullOrEmpty(entry) ? (process, new[] { entry }) : (process, Array.Empty<string>());
    }
}
