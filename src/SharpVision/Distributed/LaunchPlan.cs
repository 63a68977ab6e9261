using System.Reflection;

namespace SharpVision.Distributed;

/// <summary>
/// What <see cref="WorkerLauncher"/> starts: <see cref="Workers"/> copies of one command on this machine, which is node
/// <see cref="NodeRank"/> of <see cref="Nodes"/> (torchrun's contract: global rank = node rank × workers + local rank).
/// </summary>
/// <param name="Workers">Number of worker processes on this machine (LOCAL_WORLD_SIZE; WORLD_SIZE on a single node).</param>
/// <param name="MasterPort">Rendezvous port of rank 0's store at <see cref="MasterAddress"/> (MASTER_PORT).</param>
/// <param name="ThreadsPerWorker">Intra-op threads of each worker (SHARPVISION_THREADS).</param>
/// <param name="Arguments">Arguments of every worker after <see cref="PrefixArguments"/>.</param>
public sealed record LaunchPlan(int Workers, int MasterPort, int ThreadsPerWorker, IReadOnlyList<string> Arguments)
{
    /// <summary>The program to start; by default this process's own executable (see <see cref="CurrentExecutable"/>).</summary>
    public string FileName { get; init; } = CurrentExecutable().FileName;

    /// <summary>Arguments before <see cref="Arguments"/>: the entry assembly when running under <c>dotnet</c>.</summary>
    public IReadOnlyList<string> PrefixArguments { get; init; } = CurrentExecutable().Prefix;

    /// <summary>MASTER_ADDR given to the workers: an address of the machine that runs global rank 0, reachable from all nodes.</summary>
    public string MasterAddress { get; init; } = "127.0.0.1";

    /// <summary>Number of machines (nodes), each running <see cref="Workers"/> workers.</summary>
    public int Nodes { get; init; } = 1;

    /// <summary>This machine's node rank, 0 … <see cref="Nodes"/> − 1; node 0 hosts global rank 0 and its store.</summary>
    public int NodeRank { get; init; }

    /// <summary>
    /// How many times the whole group is restarted after a worker fails (torchrun's --max-restarts). Attempt k uses
    /// MASTER_PORT + k, so a restarted group never meets a store of the failed one, and sets TORCHELASTIC_RESTART_COUNT
    /// = k, which makes <c>train</c> resume from its last checkpoint.
    /// </summary>
    public int MaxRestarts { get; init; }

    /// <summary>Processes in the whole job (WORLD_SIZE).</summary>
    public int WorldSize => Nodes * Workers;

    /// <summary>The global rank of local worker <paramref name="localRank"/>.</summary>
    public int GlobalRank(int localRank) => NodeRank * Workers + localRank;

    /// <summary>Checks the plan; the message names the launch option that is wrong.</summary>
    /// <exception cref="ArgumentException">An inconsistent value.</exception>
    public void Validate()
    {
        if (Workers < 1) throw new ArgumentException($"--nproc must be at least 1, got {Workers}");
        if (Nodes < 1) throw new ArgumentException($"--nnodes must be at least 1, got {Nodes}");
        if (NodeRank < 0 || NodeRank >= Nodes) throw new ArgumentException($"--node-rank must be in 0..{Nodes - 1} for --nnodes {Nodes}, got {NodeRank}");
        if (MaxRestarts < 0) throw new ArgumentException($"--max-restarts must be 0 or more, got {MaxRestarts}");
        if (MasterPort is < 1 or > 65535 || MasterPort + MaxRestarts > 65535)
            throw new ArgumentException($"--master-port {MasterPort} (plus --max-restarts {MaxRestarts}) is outside 1..65535");
        if (string.IsNullOrWhiteSpace(MasterAddress)) throw new ArgumentException("--master-addr is empty");
        if (ThreadsPerWorker < 1) throw new ArgumentException($"--threads-per-worker must be positive, got {ThreadsPerWorker}");
        if (Arguments.Count == 0)
            throw new ArgumentException("launch needs the command the workers run after '--', e.g. 'sharpvision launch --nproc 2 -- train ...'");
    }

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
