using System.Diagnostics;
using System.Text;
using SharpVision.Tests.Support;

namespace SharpVision.Tests.Distributed;

/// <summary>
/// Two "hosts" on this machine: network namespaces joined by a veth pair, 10.77.0.1/24 (node 0) and 10.77.0.2/24
/// (node 1). Names are unique per instance; Dispose kills what was started in them and deletes both namespaces (which
/// removes the veth pair), also after a failed set-up.
/// </summary>
internal sealed class NetnsPair : IDisposable
{
    private readonly List<Node> nodes = new();
    private readonly string[] namespaces;

    public NetnsPair()
    {
        var id = "sv" + Guid.NewGuid().ToString("N")[..6];
        namespaces = new[] { id + "a", id + "b" };
        Interfaces = new[] { id + "a", id + "b" }; // interface names live in their own namespaces: the same text is fine
        try
        {
            Ip($"netns add {namespaces[0]}");
            Ip($"netns add {namespaces[1]}");
            Ip($"link add {Interfaces[0]}x type veth peer name {Interfaces[1]}x");
            for (var i = 0; i < 2; i++)
            {
                Ip($"link set {Interfaces[i]}x netns {namespaces[i]}");
                Ip($"-n {namespaces[i]} link set {Interfaces[i]}x name {Interfaces[i]}");
                Ip($"-n {namespaces[i]} addr add {Addresses[i]}/24 dev {Interfaces[i]}");
                Ip($"-n {namespaces[i]} link set {Interfaces[i]} up");
                Ip($"-n {namespaces[i]} link set lo up");
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>iproute2's ip, or null when it is not installed.</summary>
    public static string? IpCommand { get; } = new[] { "/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip" }.FirstOrDefault(File.Exists);

    /// <summary>The nodes' addresses on the veth pair.</summary>
    public IReadOnlyList<string> Addresses { get; } = new[] { "10.77.0.1", "10.77.0.2" };

    /// <summary>The veth interface inside each namespace (what GLOO_SOCKET_IFNAME names).</summary>
    public IReadOnlyList<string> Interfaces { get; }

    /// <summary>
    /// Starts `sharpvision launch --nnodes 2 --node-rank <paramref name="node"/>` inside that node's namespace, in its own
    /// process group (setsid), with Gloo bound to the veth interface.
    /// </summary>
    public Node Start(int node, int masterPort, IEnumerable<string> command, IReadOnlyDictionary<string, string>? environment = null,
        IEnumerable<string>? launchOptions = null)
    {
        var info = new ProcessStartInfo("setsid") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { IpCommand!, "netns", "exec", namespaces[node], "dotnet", CliProcess.CliDll, "launch", "--nnodes", "2", "--node-rank", node.ToString(),
                     "--nproc", "1", "--threads-per-worker", "1", "--master-addr", Addresses[0], "--master-port", masterPort.ToString() })
            info.ArgumentList.Add(a);
        foreach (var a in launchOptions ?? Array.Empty<string>()) info.ArgumentList.Add(a);
        info.ArgumentList.Add("--");
        foreach (var a in command) info.ArgumentList.Add(a);
        foreach (var v in new[] { "MASTER_ADDR", "MASTER_PORT", "WORLD_SIZE", "RANK", "LOCAL_RANK", "LOCAL_WORLD_SIZE" }) info.Environment.Remove(v);
        info.Environment["GLOO_SOCKET_IFNAME"] = Interfaces[node];
        if (environment is not null) foreach (var (k, v) in environment) info.Environment[k] = v;
        var started = new Node(info);
        nodes.Add(started);
        return started;
    }

    public void Dispose()
    {
        foreach (var n in nodes) n.Dispose();
        foreach (var ns in namespaces) Run(IpCommand ?? "ip", $"netns del {ns}", throwOnError: false);
    }

    private static void Ip(string arguments) => Run(IpCommand ?? "ip", arguments, throwOnError: true);

    private static void Run(string file, string arguments, bool throwOnError)
    {
        var info = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments.Split(' ')) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0 && throwOnError) throw new InvalidOperationException($"{file} {arguments} failed: {error.Trim()}");
    }

    /// <summary>One node's launcher: output capture, exit, and killing its whole process group.</summary>
    internal sealed class Node : IDisposable
    {
        private readonly Process process;
        private readonly StringBuilder output = new();

        public Node(ProcessStartInfo info)
        {
            process = new Process { StartInfo = info };
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public string Output { get { lock (output) return output.ToString(); } }

        public int ExitCode => process.ExitCode;

        public bool WaitForExit(TimeSpan limit)
        {
            if (!process.WaitForExit(limit)) return false;
            process.WaitForExit();
            return true;
        }

        /// <summary>SIGKILL to the node's process group: its launcher and every worker, as when a machine dies.</summary>
        public void KillGroup()
        {
            // setsid made the launcher the leader of its own group: the group id is its pid.
            using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-KILL", "--", "-" + process.Id }, UseShellExecute = false })!;
            kill.WaitForExit();
            process.WaitForExit();
        }

        public void Dispose()
        {
            try
            {
                if (!process.HasExited) KillGroup();
            }
            catch (InvalidOperationException)
            {
            }
            process.Dispose();
        }
    }
}
