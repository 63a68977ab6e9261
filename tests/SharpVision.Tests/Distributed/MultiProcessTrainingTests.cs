using SharpVision.Distributed;
using SharpVision.Engine;
using SharpVision.Engine.IO;
using SharpVision.Tests.Support;

namespace SharpVision.Tests.Distributed;

/// <summary>Real processes on loopback (Gloo): the sharpvision CLI's launch and dist-selftest commands.</summary>
[Collection(DistributedCollection.Name)]
public class MultiProcessTrainingTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    private static string[] SelfTest(int steps, params string[] extra) =>
        new[] { "dist-selftest", "--steps", steps.ToString(), "--global-batch", "8", "--samples", "32", "--seed", "3", "--timeout", "10", "--bucket-kb", "1" }
            .Concat(extra).ToArray();

    [Fact]
    public void TwoProcesses_EndWithTheWeightsOfOneProcessWithTheGlobalBatch()
    {
        using var dir = new TempDirectory("sv-dist");
        using (var single = CliProcess.Start(SelfTest(6, "--out", dir.File("single.safetensors"))))
        {
            Assert.True(single.WaitForExit(Limit), "the single process did not finish");
            Assert.True(single.ExitCode == 0, single.Output);
        }
        using (var launch = CliProcess.Start(new[] { "launch", "--nproc", "2", "--" }.Concat(SelfTest(6, "--out", dir.File("rank{rank}.safetensors")))))
        {
            Assert.True(launch.WaitForExit(Limit), "launch did not finish");
            Assert.True(launch.ExitCode == 0, launch.Output);
            // Every rank reports the same reduced totals (all 2 × 6 × 4 samples).
            var totals = launch.Stdout.Split('\n').Where(l => l.Contains("totals")).Select(l => l[(l.IndexOf("totals", StringComparison.Ordinal))..].Trim()).ToList();
            Assert.Equal(2, totals.Count);
            Assert.Equal(totals[0], totals[1]);
            Assert.Contains("samples 48", totals[0]);
        }

        using var scope = Torch.NewDisposeScope();
        var reference = SafeTensors.Load(dir.File("single.safetensors")).Tensors;
        foreach (var rank in new[] { 0, 1 })
        {
            var weights = SafeTensors.Load(dir.File($"rank{rank}.safetensors")).Tensors;
            Assert.Equal(reference.Keys.OrderBy(k => k), weights.Keys.OrderBy(k => k));
            foreach (var (name, expected) in reference)
            {
                var diff = weights[name].Sub(expected).Abs().Max().Item();
                Assert.True(diff <= 1e-5, $"rank {rank}: {name} differs from the single process by {diff}");
            }
        }
        // Training moved the weights: the comparison is not between two untouched initialisations.
        using var initial = CliProcess.Start(new[] { "dist-selftest", "--steps", "1", "--lr", "1e-12", "--samples", "32", "--seed", "3", "--out", dir.File("initial.safetensors") });
        Assert.True(initial.WaitForExit(Limit) && initial.ExitCode == 0, initial.Output);
        var start = SafeTensors.Load(dir.File("initial.safetensors")).Tensors;
        Assert.True(start["conv1.weight"].Sub(reference["conv1.weight"]).Abs().Max().Item() > 1e-3);
    }

    [Fact]
    public void Launch_RunsTwoWorkers_PrefixesTheirOutput_AndExitsZero()
    {
        using var launch = CliProcess.Start(new[] { "launch", "--nproc", "2", "--" }.Concat(SelfTest(2)));
        Assert.True(launch.WaitForExit(Limit), "launch did not finish");
        Assert.True(launch.ExitCode == 0, launch.Output);
        Assert.Contains("[rank 0] dist-selftest: rank 0 of 2", launch.Stdout);
        Assert.Contains("[rank 1] dist-selftest: rank 1 of 2", launch.Stdout);
    }

    [Fact]
    public void KilledWorker_MakesThePeerFailFast_WithAClearError()
    {
        var port = FreePort.Find();
        using var rank1 = CliProcess.StartRank(1, 2, port, SelfTest(200, "--fail-at-step", "2", "--fail-rank", "1"));
        using var rank0 = CliProcess.StartRank(0, 2, port, SelfTest(200, "--fail-at-step", "2", "--fail-rank", "1"));

        Assert.True(rank1.WaitForExit(Limit), "the failing rank did not exit");
        Assert.Equal(3, rank1.ExitCode);
        // The peer must not hang: it fails well within the 10 s collective timeout plus start-up.
        Assert.True(rank0.WaitForExit(TimeSpan.FromSeconds(30)), "rank 0 hung after its peer died");
        Assert.Equal(1, rank0.ExitCode);
        Assert.Contains("rank 0: all_reduce", rank0.Stderr);
        Assert.Contains("is a peer gone?", rank0.Stderr);
    }

    [Fact]
    public void StalledWorker_MakesThePeerTimeOut_AfterTheConfiguredTimeout()
    {
        var port = FreePort.Find();
        var args = new[] { "dist-selftest", "--steps", "200", "--global-batch", "8", "--samples", "32", "--timeout", "3",
            "--fail-at-step", "1", "--fail-rank", "1", "--fail-mode", "hang" };
        using var rank1 = CliProcess.StartRank(1, 2, port, args);
        using var rank0 = CliProcess.StartRank(0, 2, port, args);

        Assert.True(rank0.WaitForExit(TimeSpan.FromSeconds(30)), "rank 0 hung beyond its 3 s timeout");
        Assert.Equal(1, rank0.ExitCode);
        Assert.Contains("rank 0: all_reduce timed out after 3 s", rank0.Stderr);
        rank1.Kill();
    }

    [Fact]
    public void Launch_StopsAllWorkers_AndNamesTheFailedRank()
    {
        using var launch = CliProcess.Start(new[] { "launch", "--nproc", "2", "--" }.Concat(SelfTest(200, "--fail-at-step", "2", "--fail-rank", "1")));
        Assert.True(launch.WaitForExit(Limit), "launch did not stop after a worker failed");
        Assert.NotEqual(0, launch.ExitCode);
        Assert.Contains("launch: rank 1 failed with exit code 3", launch.Stderr);
    }

    [Fact]
    public void Launch_WithoutACommand_IsAnError()
    {
        using var launch = CliProcess.Start(new[] { "launch", "--nproc", "2" });
        Assert.True(launch.WaitForExit(Limit));
        Assert.NotEqual(0, launch.ExitCode);
    }
}
