using SharpVision.Distributed;
using SharpVision.Tests.Support;

namespace SharpVision.Tests.Distributed;

/// <summary>torchrun's multi-node contract as `launch` hands it to each worker, without starting anything.</summary>
public class LaunchPlanTests
{
    private static readonly string[] Command = { "train", "--data", "x" };

    [Fact]
    public void NodeOneOfTwo_GivesItsWorkersGlobalRanksAfterNodeZeros_AndTheMasterOfNodeZero()
    {
        var plan = new LaunchPlan(3, 29500, 1, Command) { Nodes = 2, NodeRank = 1, MasterAddress = "10.0.0.1", MaxRestarts = 2 };
        plan.Validate();
        Assert.Equal(6, plan.WorldSize);
        var info = WorkerLauncher.StartInfo(plan, localRank: 2, attempt: 1);
        Assert.Equal("10.0.0.1", info.Environment["MASTER_ADDR"]);
        Assert.Equal("29501", info.Environment["MASTER_PORT"]); // restart 1 meets on the next port
        Assert.Equal("6", info.Environment["WORLD_SIZE"]);
        Assert.Equal("5", info.Environment["RANK"]);
        Assert.Equal("2", info.Environment["LOCAL_RANK"]);
        Assert.Equal("3", info.Environment["LOCAL_WORLD_SIZE"]);
        Assert.Equal("1", info.Environment["GROUP_RANK"]);
        Assert.Equal("1", info.Environment[WorkerLauncher.RestartCountVariable]);
        Assert.Equal(Command, info.ArgumentList.Skip(plan.PrefixArguments.Count));
        // Workers compile fully up front (no background JIT competing with a peer), unless the user chose otherwise.
        Assert.Equal(Environment.GetEnvironmentVariable(WorkerLauncher.TieredCompilationVariable) ?? "0", info.Environment[WorkerLauncher.TieredCompilationVariable]);
    }

    [Theory]
    [InlineData(2, 2, 0, "--node-rank must be in 0..1")]
    [InlineData(0, 0, 0, "--nnodes must be at least 1")]
    [InlineData(1, 0, -1, "--max-restarts must be 0 or more")]
    public void InconsistentPlans_AreRefusedNamingTheOption(int nodes, int nodeRank, int restarts, string expected)
    {
        var plan = new LaunchPlan(1, 29500, 1, Command) { Nodes = nodes, NodeRank = nodeRank, MaxRestarts = restarts };
        Assert.Contains(expected, Assert.Throws<ArgumentException>(plan.Validate).Message);
    }

    [Theory]
    [InlineData("--nnodes 2 --node-rank 1", "--master-port is required with --nnodes > 1 (every node must use the same port)")]
    [InlineData("--nnodes 2 --node-rank 2 --master-port 29500", "--node-rank must be in 0..1 for --nnodes 2, got 2")]
    public void TheLaunchVerb_RefusesAnInconsistentNodeSetup_WithOneLineAndExitCode2(string options, string expected)
    {
        using var p = CliProcess.Start(new[] { "launch" }.Concat(options.Split(' ')).Concat(new[] { "--", "version" }));
        Assert.True(p.WaitForExit(TimeSpan.FromSeconds(60)), p.Output);
        Assert.Equal(2, p.ExitCode);
        Assert.Equal("launch: " + expected, p.Stderr.Trim());
    }
}
