using System.Diagnostics;
using System.Globalization;

namespace SharpVision.Distributed;

/// <summary>
/// Starts the workers of a <see cref="LaunchPlan"/> with torchrun's environment contract (MASTER_ADDR, MASTER_PORT,
/// WORLD_SIZE, RANK, LOCAL_RANK, GROUP_RANK) plus SHARPVISION_THREADS, forwards their output line by line prefixed with
/// <c>[rank k]</c> (the global rank), and, as soon as one exits with a non-zero code, kills the others and reports that
/// rank; with <see cref="LaunchPlan.MaxRestarts"/> it then starts the whole group again, which resumes from the last
/// checkpoint.
/// </summary>
public static class WorkerLauncher
{
    /// <summary>Environment variable with the restart attempt (0 for the first start), as torchrun's elastic agent sets it.</summary>
    public const string RestartCountVariable = "TORCHELASTIC_RESTART_COUNT";

    /// <summary>.NET's switch for tiered compilation; the launcher turns it off in its workers unless it is set.</summary>
    public const string TieredCompilationVariable = "DOTNET_TieredCompilation";

    /// <summary>
    /// Runs the workers to completion; returns 0 when all succeeded, 2 when one refused its command line or input (every
    /// rank parses the same one; never restarted), 1 when one failed otherwise and no restart was left, 130 when cancelled.
    /// </summary>
    public static async Task<int> RunAsync(LaunchPlan plan, TextWriter stdout, TextWriter stderr, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.Workers < 1) throw new ArgumentOutOfRangeException(nameof(plan), plan.Workers, "a launch needs at least one worker");
        plan.Validate();
        var sync = new object();
        void Write(TextWriter w, string line) { lock (sync) { w.WriteLine(line); w.Flush(); } }
        for (var attempt = 0; ; attempt++)
        {
            var code = await RunOnceAsync(plan, attempt, Write, stdout, stderr, cancel).ConfigureAwait(false);
            if (code is 0 or 2 or 130 || attempt >= plan.MaxRestarts) return code;
            Write(stderr, $"launch: restarting the group from its last checkpoint (restart {attempt + 1} of {plan.MaxRestarts}, " +
                          $"rendezvous port {plan.MasterPort + attempt + 1})");
        }
    }

    private static async Task<int> RunOnceAsync(LaunchPlan plan, int attempt, Action<TextWriter, string> write, TextWriter stdout, TextWriter stderr,
        CancellationToken cancel)
    {
        var processes = new List<Process>();
        try
        {
            for (var local = 0; local < plan.Workers; local++)
            {
                var rank = plan.GlobalRank(local);
                var p = new Process { StartInfo = StartInfo(plan, local, attempt), EnableRaisingEvents = true };
                var prefix = $"[rank {rank}] ";
                p.OutputDataReceived += (_, e) => { if (e.Data is not null) write(stdout, prefix + e.Data); };
                p.ErrorDataReceived += (_, e) => { if (e.Data is not null) write(stderr, prefix + e.Data); };
                if (!p.Start()) throw new InvalidOperationException($"could not start worker {rank}: {plan.FileName}");
                processes.Add(p);
                p.BeginOutputReadLine();
                p.BeginErrorReadLine();
            }
            write(stderr, $"launch: started {plan.Workers} worker(s)" +
                          (plan.Nodes > 1 ? $" on node {plan.NodeRank} of {plan.Nodes} (ranks {plan.GlobalRank(0)}..{plan.GlobalRank(plan.Workers - 1)} of {plan.WorldSize})" : "") +
                          $", rendezvous {plan.MasterAddress}:{plan.MasterPort + attempt}, {plan.ThreadsPerWorker} thread(s) each");

            var pending = processes.Select((p, rank) => (Rank: rank, Task: p.WaitForExitAsync(cancel))).ToList();
            while (pending.Count > 0)
            {
                var finished = await Task.WhenAny(pending.Select(x => x.Task)).ConfigureAwait(false);
                var entry = pending.First(x => x.Task == finished);
                pending.Remove(entry);
                if (finished.IsCanceled)
                {
                    write(stderr, "launch: cancelled; stopping the workers");
                    KillAll(processes);
                    return 130;
                }
                var code = processes[entry.Rank].ExitCode;
                if (code == 0) continue;
                var others = pending.Count;
                write(stderr, $"launch: rank {plan.GlobalRank(entry.Rank)} failed with exit code {code}" +
                              (others > 0 ? $"; stopping the other {others} worker(s)" : ""));
                KillAll(processes);
                foreach (var p in processes) await p.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
                return code == 2 ? 2 : 1;
            }
            return 0;
        }
        catch
        {
            KillAll(processes);
            throw;
        }
        finally
        {
            foreach (var p in processes) p.Dispose();
        }
    }

    /// <summary>
    /// The start info of local worker <paramref name="localRank"/> in restart <paramref name="attempt"/>: same program,
    /// same arguments, its own rank variables.
    /// </summary>
    public static ProcessStartInfo StartInfo(LaunchPlan plan, int localRank, int attempt = 0)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var info = new ProcessStartInfo(plan.FileName)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in plan.PrefixArguments) info.ArgumentList.Add(a);
        foreach (var a in plan.Arguments) info.ArgumentList.Add(a);
        var inv = CultureInfo.InvariantCulture;
        info.Environment["MASTER_ADDR"] = plan.MasterAddress;
        info.Environment["MASTER_PORT"] = (plan.MasterPort + attempt).ToString(inv);
        info.Environment["WORLD_SIZE"] = plan.WorldSize.ToString(inv);
        info.Environment["RANK"] = plan.GlobalRank(localRank).ToString(inv);
        info.Environment["LOCAL_RANK"] = localRank.ToString(inv);
        info.Environment["LOCAL_WORLD_SIZE"] = plan.Workers.ToString(inv);
        info.Environment["GROUP_RANK"] = plan.NodeRank.ToString(inv);
        info.Environment[RestartCountVariable] = attempt.ToString(inv);
        info.Environment["TORCHELASTIC_MAX_RESTARTS"] = plan.MaxRestarts.ToString(inv);
        info.Environment["SHARPVISION_THREADS"] = plan.ThreadsPerWorker.ToString(inv);
        // Workers are long compute-bound processes that fill the cores between them: compile every method fully on its
        // first call rather than re-compiling hot ones on .NET's background JIT thread, which would take CPU from a
        // peer worker in the middle of training (and every worker then waits for the slowest at each all-reduce).
        // A user's own setting wins.
        if (Environment.GetEnvironmentVariable(TieredCompilationVariable) is null) info.Environment[TieredCompilationVariable] = "0";
        return info;
    }

    private static void KillAll(IEnumerable<Process> processes)
    {
        foreach (var p in processes)
        {
            try
            {
                if (!p.HasExited) p.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It exited between the check and the kill.
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // Not ours to kill any more.
            }
        }
    }
}
