namespace SharpVision.Engine.Distributed;

/// <summary>
/// Where and how to join a process group: the rendezvous store at <see cref="MasterAddress"/>:<see cref="MasterPort"/>
/// (hosted by rank 0), this process's <see cref="Rank"/> among <see cref="WorldSize"/> processes, and the timeout of the
/// rendezvous and of every collective.
/// </summary>
public sealed record DistributedOptions
{
    /// <summary>The default timeout of the rendezvous and of each collective (torch uses 30 minutes; a dead peer is usually detected at once).</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);

    /// <summary>Host name or IP address of rank 0, which hosts the TCP store (MASTER_ADDR).</summary>
    public string MasterAddress { get; init; } = "127.0.0.1";

    /// <summary>TCP port of the store on rank 0 (MASTER_PORT); it must be free there and reachable from every rank.</summary>
    public int MasterPort { get; init; } = 29500;

    /// <summary>This process's rank, 0 ≤ rank &lt; <see cref="WorldSize"/> (RANK).</summary>
    public int Rank { get; init; }

    /// <summary>The number of processes (WORLD_SIZE).</summary>
    public int WorldSize { get; init; } = 1;

    /// <summary>This process's index on its machine (LOCAL_RANK): the GPU it should use.</summary>
    public int LocalRank { get; init; }

    /// <summary>Timeout of the rendezvous and of every collective; a collective that takes longer fails with <see cref="DistributedException"/>.</summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>The backend (see <see cref="DistributedBackend"/>).</summary>
    public DistributedBackend Backend { get; init; } = DistributedBackend.Auto;

    /// <summary>
    /// Network interface Gloo binds to (e.g. "eth0"); null uses $GLOO_SOCKET_IFNAME, loopback when the master is
    /// loopback, or else the address this machine's host name resolves to.
    /// </summary>
    public string? NetworkInterface { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid field.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(MasterAddress)) throw new ArgumentException("MasterAddress must not be empty", nameof(MasterAddress));
        if (MasterPort is < 1 or > 65535) throw new ArgumentException($"MasterPort {MasterPort} is outside 1..65535", nameof(MasterPort));
        if (WorldSize < 1) throw new ArgumentException($"WorldSize must be at least 1, got {WorldSize}", nameof(WorldSize));
        if (Rank < 0 || Rank >= WorldSize) throw new ArgumentException($"Rank {Rank} is outside [0, {WorldSize})", nameof(Rank));
        if (LocalRank < 0) throw new ArgumentException($"LocalRank must not be negative, got {LocalRank}", nameof(LocalRank));
        if (Timeout <= TimeSpan.Zero) throw new ArgumentException($"Timeout must be positive, got {Timeout}", nameof(Timeout));
    }
}
