using System.CommandLine;
using SharpVision.Distributed;

namespace SharpVision.Cli.Commands;

/// <summary>
/// <c>sharpvision launch --nproc N [--nnodes M --node-rank R --master-addr A --master-port P] [--max-restarts K] --
/// &lt;sharpvision args…&gt;</c>: runs N worker processes of this same sharpvision on this machine with torchrun's
/// environment contract (global rank = R × N + local rank), prefixes their output with <c>[rank k]</c>, stops all of
/// them when one fails, and restarts the group up to K times from the last checkpoint.
/// </summary>
public static class LaunchCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var nproc = new Option<int>("--nproc", "--nproc-per-node") { Description = "Number of worker processes on this machine.", DefaultValueFactory = _ => 1 };
        var nnodes = new Option<int>("--nnodes") { Description = "Number of machines; run launch on each with its own --node-rank.", DefaultValueFactory = _ => 1 };
        var nodeRank = new Option<int>("--node-rank") { Description = "This machine's rank, 0..nnodes-1 (node 0 runs global rank 0 and its store)." };
        var masterAddr = new Option<string>("--master-addr") { Description = "Address of node 0, reachable from every node.", DefaultValueFactory = _ => "127.0.0.1" };
        var masterPort = new Option<int>("--master-port") { Description = "Rendezvous port on node 0 (default on one node: a free port; required with --nnodes > 1)." };
        var maxRestarts = new Option<int>("--max-restarts") { Description = "Restart the whole group up to this many times after a failure; train resumes from its last checkpoint." };
        var threads = new Option<int>("--threads-per-worker") { Description = "Intra-op threads of each worker (default: max(1, cores / nproc))." };
        var command = new Argument<string[]>("command") { Description = "The sharpvision command each worker runs (after --).", Arity = ArgumentArity.OneOrMore };

        var cmd = new Command("launch", "Run a sharpvision command as data-parallel worker processes on this machine, one node of a job (like torchrun).");
        foreach (var o in new Option[] { nproc, nnodes, nodeRank, masterAddr, masterPort, maxRestarts, threads }) cmd.Options.Add(o);
        cmd.Arguments.Add(command);
        cmd.SetAction(async (parse, cancel) =>
        {
            var n = parse.GetValue(nproc);
            var nodes = parse.GetValue(nnodes);
            var port = parse.GetValue(masterPort);
            if (port == 0 && nodes > 1)
            {
                Console.Error.WriteLine("launch: --master-port is required with --nnodes > 1 (every node must use the same port)");
                return CliErrors.BadInput;
            }
            var perWorker = parse.GetValue(threads);
            var plan = new LaunchPlan(n, port == 0 ? FreePort.Find() : port,
                perWorker == 0 ? Math.Max(1, Environment.ProcessorCount / Math.Max(1, n)) : perWorker, parse.GetValue(command) ?? Array.Empty<string>())
            {
                Nodes = nodes,
                NodeRank = parse.GetValue(nodeRank),
                MasterAddress = parse.GetValue(masterAddr) ?? "127.0.0.1",
                MaxRestarts = parse.GetValue(maxRestarts),
            };
            try
            {
                plan.Validate();
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine($"launch: {e.Message}");
                return CliErrors.BadInput;
            }
            return await WorkerLauncher.RunAsync(plan, Console.Out, Console.Error, cancel);
        });
        return cmd;
    }
}
