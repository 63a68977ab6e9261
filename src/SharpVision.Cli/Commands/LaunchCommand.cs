using System.CommandLine;
using SharpVision.Distributed;

namespace SharpVision.Cli.Commands;

/// <summary>
/// <c>sharpvision launch --nproc N [--master-port P] -- &lt;sharpvision args…&gt;</c>: runs N local worker processes of
/// this same sharpvision with torchrun's environment contract, prefixes their output with <c>[rank k]</c>, and stops
/// all of them when one fails.
/// </summary>
public static class LaunchCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var nproc = new Option<int>("--nproc") { Description = "Number of worker processes on this machine.", DefaultValueFactory = _ => 1 };
        var masterPort = new Option<int>("--master-port") { Description = "Rendezvous port (default: a free port)." };
        var threads = new Option<int>("--threads-per-worker") { Description = "Intra-op threads of each worker (default: max(1, cores / nproc))." };
        var command = new Argument<string[]>("command") { Description = "The sharpvision command each worker runs (after --).", Arity = ArgumentArity.OneOrMore };

        var cmd = new Command("launch", "Run a sharpvision command as N data-parallel worker processes on this machine (like torchrun --standalone).");
        cmd.Options.Add(nproc);
        cmd.Options.Add(masterPort);
        cmd.Options.Add(threads);
        cmd.Arguments.Add(command);
        cmd.SetAction(async (parse, cancel) =>
        {
            var n = parse.GetValue(nproc);
            if (n < 1)
            {
                Console.Error.WriteLine($"launch: --nproc must be at least 1, got {n}");
                return 2;
            }
            var port = parse.GetValue(masterPort);
            if (port is < 0 or > 65535)
            {
                Console.Error.WriteLine($"launch: --master-port {port} is outside 1..65535");
                return 2;
            }
            var perWorker = parse.GetValue(threads);
            if (perWorker < 0)
            {
                Console.Error.WriteLine($"launch: --threads-per-worker must be positive, got {perWorker}");
                return 2;
            }
            var plan = new LaunchPlan(n, port == 0 ? FreePort.Find() : port,
                perWorker == 0 ? Math.Max(1, Environment.ProcessorCount / n) : perWorker, parse.GetValue(command) ?? Array.Empty<string>());
            return await WorkerLauncher.RunAsync(plan, Console.Out, Console.Error, cancel);
        });
        return cmd;
    }
}
