using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using SharpVision.Engine;
using SharpVision.Engine.Distributed;

namespace SharpVision.Distributed;

/// <summary>
/// Which host every rank runs on, gathered once at start-up, so that a failed collective can name the rank and host
/// that went away ("rank 1 on host 10.77.0.2 (node-b) is gone") instead of only the socket address Gloo reports.
/// </summary>
public sealed partial class PeerDirectory
{
    private const int NameBytes = 64;
    private readonly int self;

    private PeerDirectory(int self, IReadOnlyList<PeerHost> hosts)
    {
        this.self = self;
        Hosts = hosts;
    }

    /// <summary>Host of each rank, index = rank.</summary>
    public IReadOnlyList<PeerHost> Hosts { get; }

    /// <summary>Gathers every rank's address and machine name (one all-gather; every rank must call it).</summary>
    public static PeerDirectory Gather(ProcessGroup group)
    {
        ArgumentNullException.ThrowIfNull(group);
        var row = new long[4 + NameBytes];
        var address = LocalAddress(group.Options.MasterAddress, group.Options.MasterPort);
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < 4; i++) row[i] = bytes[i];
        var name = Encoding.UTF8.GetBytes(Environment.MachineName);
        for (var i = 0; i < Math.Min(NameBytes, name.Length); i++) row[4 + i] = name[i];
        using var scope = Torch.NewDisposeScope();
        var all = group.AllGather(Tensor.FromArray(row)).ToArray<long>();
        var hosts = new List<PeerHost>();
        for (var r = 0; r < group.WorldSize; r++)
        {
            var offset = r * row.Length;
            var ip = new IPAddress(Enumerable.Range(0, 4).Select(i => (byte)all[offset + i]).ToArray());
            var text = Encoding.UTF8.GetString(Enumerable.Range(0, NameBytes).Select(i => (byte)all[offset + 4 + i]).TakeWhile(b => b != 0).ToArray());
            hosts.Add(new PeerHost(r, ip.ToString(), text));
        }
        return new PeerDirectory(group.Rank, hosts);
    }

    /// <summary>
    /// The message of a failed collective with the ranks it concerns: those on the host whose address Gloo names, or,
    /// when it names none (a timeout), every other rank with its host.
    /// </summary>
    public string Explain(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var others = Hosts.Where(h => h.Rank != self).ToList();
        var named = AddressInBrackets().Matches(message).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        var suspects = others.Where(h => named.Contains(h.Address)).ToList();
        if (suspects.Count == 1) return $"{Describe(suspects[0])} is gone: {message}";
        // Several ranks share the host Gloo names (one machine, or several workers per node): one of them went away.
        if (suspects.Count > 1)
            return $"a rank on host {suspects[0].Address} ({string.Join(", ", suspects.Select(h => "rank " + h.Rank))}) is gone: {message}";
        return $"{message} (the other ranks: {string.Join(", ", others.Select(Describe))})";
    }

    private static string Describe(PeerHost h) => $"rank {h.Rank} on host {h.Address}" + (h.MachineName.Length > 0 ? $" ({h.MachineName})" : "");

    // The address this process reaches the master from: the interface Gloo is told to use, loopback for a loopback
    // master, else the source address of the route to the master (a UDP connect sends nothing).
    private static IPAddress LocalAddress(string master, int port)
    {
        if (Environment.GetEnvironmentVariable("GLOO_SOCKET_IFNAME") is { Length: > 0 } name
            && NetworkInterface.GetAllNetworkInterfaces().FirstOrDefault(n => n.Name == name) is { } nic
            && nic.GetIPProperties().UnicastAddresses.FirstOrDefault(a => a.Address.AddressFamily == AddressFamily.InterNetwork) is { } unicast)
            return unicast.Address;
        try
        {
            var target = IPAddress.TryParse(master, out var ip) ? ip : Dns.GetHostAddresses(master).First(a => a.AddressFamily == AddressFamily.InterNetwork);
            if (IPAddress.IsLoopback(target)) return IPAddress.Loopback;
            using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            probe.Connect(target, port);
            return ((IPEndPoint)probe.LocalEndPoint!).Address;
        }
        catch (Exception e) when (e is SocketException or InvalidOperationException or ArgumentException)
        {
            return IPAddress.Any; // unknown: the explanation then lists ranks without a usable address
        }
    }

    [GeneratedRegex(@"\[(\d{1,3}(?:\.\d{1,3}){3})\]")]
    private static partial Regex AddressInBrackets();
}
