using System.Diagnostics;
using SharpVision.Tests.Support;

namespace SharpVision.Tests.Distributed;

/// <summary>
/// Two machines simulated with Linux network namespaces joined by a veth pair (see <see cref="NetnsPair"/>): `launch
/// --nnodes 2` in each, talking only over 10.77.0.1 ↔ 10.77.0.2. Needs root and iproute2.
/// </summary>
[Collection(DistributedCollection.Name)]
public class NetworkNamespaceTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(150);
    private const int MasterPort = 29500; // each test has fresh namespaces, so the port is free

    private static string[] Train(string data, string run, int epochs) => new[]
    {
        "train", "--data", data, "--model", "lenet5", "--input", "28", "--epochs", epochs.ToString(), "--batch", "8", "--val-fold", "1/3",
        "--optimizer", "sgd", "--lr", "0.05", "--seed", "5", "--out", run, "--no-progress", "--no-unknown",
    };

    private static void RunSingleProcess(string[] args)
    {
        using var single = CliProcess.Start(args);
        Assert.True(single.WaitForExit(Limit), single.Output);
        Assert.True(single.ExitCode == 0, single.Output);
    }

    private static void WaitForSuccess(NetnsPair.Node[] nodes)
    {
        foreach (var node in nodes) Assert.True(node.WaitForExit(Limit), "a node did not finish: " + node.Output);
        Assert.True(nodes[0].ExitCode == 0 && nodes[1].ExitCode == 0, nodes[0].Output + nodes[1].Output);
    }

    [RootAndIproute2Fact]
    public void RequiresRootAndIproute2_TwoHostsTrainOverTheVeth_AndEqualOneProcessWithTheGlobalBatch()
    {
        using var tmp = new TempDirectory("sv-netns");
        var data = SyntheticImages.CreateFolder(tmp.File("data"), perClass: 12, size: 28, seed: 2);
        RunSingleProcess(Train(data, tmp.File("single"), 2));

        using var hosts = new NetnsPair();
        var nodes = new[] { 0, 1 }.Select(n => hosts.Start(n, MasterPort, Train(data, tmp.File("two-hosts"), 2))).ToArray();
        WaitForSuccess(nodes);
        Assert.Contains("on node 1 of 2 (ranks 1..1 of 2), rendezvous 10.77.0.1:29500", nodes[1].Output);
        Assert.Contains("[rank 0] Distributed: 2 processes, global batch 8 = 4 per process", nodes[0].Output);

        var diff = DistributedRecipeTests.MaxDifference(Path.Combine(tmp.File("single"), "model.safetensors"), Path.Combine(tmp.File("two-hosts"), "model.safetensors"));
        Assert.True(diff <= 1e-5, $"two hosts differ from one process by {diff}");
    }

    [RootAndIproute2Fact]
    public void RequiresRootAndIproute2_WhenANodeDies_ThePeerStopsWithinTheTimeout_NamingTheDeadRankAndItsHost()
    {
        using var tmp = new TempDirectory("sv-netns-kill");
        var data = SyntheticImages.CreateFolder(tmp.File("data"), perClass: 12, size: 28, seed: 3);
        using var hosts = new NetnsPair();
        var timeout = new Dictionary<string, string> { ["SHARPVISION_DIST_TIMEOUT"] = "20" };
        var nodes = new[] { 0, 1 }.Select(n => hosts.Start(n, MasterPort, Train(data, tmp.File("run"), 500), timeout)).ToArray();
        var wait = Stopwatch.StartNew();
        while (!nodes[0].Output.Contains("[rank 0] Epoch 2/500", StringComparison.Ordinal) && wait.Elapsed < Limit) Thread.Sleep(100);
        Assert.True(wait.Elapsed < Limit, "training did not start across the hosts: " + nodes[0].Output + nodes[1].Output);

        nodes[1].KillGroup();
        var killed = Stopwatch.StartNew();
        Assert.True(nodes[0].WaitForExit(TimeSpan.FromSeconds(40)), "node 0 did not stop after node 1 died: " + nodes[0].Output);
        Assert.True(killed.Elapsed < TimeSpan.FromSeconds(25), $"node 0 took {killed.Elapsed.TotalSeconds:0.0} s to stop (timeout 20 s)");
        Assert.Equal(1, nodes[0].ExitCode);
        Assert.Contains("rank 1 on host 10.77.0.2", nodes[0].Output);
        Assert.Contains("launch: rank 0 failed with exit code 1", nodes[0].Output);
    }

    [RootAndIproute2Fact]
    public void RequiresRootAndIproute2_MaxRestartsOnBothHosts_RecoversFromAWorkerThatDied_ToTheWeightsOfOneProcess()
    {
        using var tmp = new TempDirectory("sv-netns-restart");
        var data = SyntheticImages.CreateFolder(tmp.File("data"), perClass: 12, size: 28, seed: 4);
        RunSingleProcess(Train(data, tmp.File("single"), 3));

        using var hosts = new NetnsPair();
        // Rank 1 (node 1) exits at the start of epoch 2 in the first attempt; both launchers restart their workers.
        var environment = new Dictionary<string, string> { ["SHARPVISION_INTERNAL_EXIT_AT"] = "1:2", ["SHARPVISION_DIST_TIMEOUT"] = "30" };
        var nodes = new[] { 0, 1 }.Select(n => hosts.Start(n, MasterPort, Train(data, tmp.File("restarted"), 3), environment, new[] { "--max-restarts", "1" })).ToArray();
        WaitForSuccess(nodes);
        Assert.Contains("launch: rank 1 failed with exit code 3", nodes[1].Output);
        Assert.Contains("launch: restarting the group", nodes[0].Output);
        Assert.Contains("rendezvous 10.77.0.1:29501", nodes[1].Output);
        var diff = DistributedRecipeTests.MaxDifference(Path.Combine(tmp.File("single"), "model.safetensors"), Path.Combine(tmp.File("restarted"), "model.safetensors"));
        Assert.True(diff <= 1e-5, $"the restarted two-host run differs from one process by {diff}");
    }
}
