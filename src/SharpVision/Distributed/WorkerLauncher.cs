using System.Diagnostics;
using System.Globalization;

namespace SharpVision.Distributed;

/// <summary>
/// Starts the workers of a <see cref="LaunchPlan"/> with torchrun's environment contract (MASTER_ADDR, MASTER_PORT,
/// WORLD_SIZE, RANK, LOCAL_RANK) plus SHARPVISION_THREADS, forwards their output line by line prefixed with
/// <c>[rank k]</c>, and, as soon as one exits with a non-zero code, kills the others and reports that rank.
/// </summary>
public static class WorkerLauncher
{
    /// <summary>
    /// Runs the workers to completion; returns 0 when all succeeded, 2 when one refused its command line or input (every
    /// rank parses the same one), 1 when one failed otherwise, 130 when cancelled.
    /// </summary>
    public static async Task<int> RunAsync(LaunchPlan plan, TextWriter stdout, TextWriter stderr, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.Workers < 1) throw new ArgumentOutOfRangeException(nameof(plan), plan.Workers, "a launch needs at least one worker");
        if (plan.Arguments.Count == 0)
            throw new ArgumentException("launch needs the command the workers run after '--', e.g. 'sharpvision launch --nproc 2 -- train ...'", nameof(plan));
        var sync = new object();
        void Write(TextWriter w, string line) { lock (sync) { w.WriteLine(line); w.Flush(); } }

        var processes = new List<Process>();
        try
        {
            for (var rank = 0; rank < plan.Workers; rank++)
            {
                var p = new Process { StartInfo = StartInfo(plan, rank), EnableRaisingEvents = true };
                var prefix = $"[rank {rank}] ";
                p.OutputDataReceived += (_, e) => { if (e.Data is not null) Write(stdout, prefix + e.Data); };
                p.ErrorDataReceived += (_, e) => { if (e.Data is not null) Write(stderr, prefix + e.Data); };
                if (!p.Start()) throw new InvalidOperationException($"could not start worker {rank}: {plan.FileName}");
                processes.Add(p);
                p.BeginOutputReadLine();
                p.BeginErrorReadLine();
            }
            Write(stderr, $"launch: started {plan.Workers} worker(s), rendezvous {plan.MasterAddress}:{plan.MasterPort}, {plan.ThreadsPerWorker} thread(s) each");

            var pending = processes.Select((p, rank) => (Rank: rank, Task: p.WaitForExitAsync(cancel))).ToList();
            while (pending.Count > 0)
            {
                var finished = await Task.WhenAny(pending.Select(x => x.Task)).ConfigureAwait(false);
                var entry = pending.First(x => x.Task == finished);
                pending.Remove(entry);
                if (finished.IsCanceled)
                {
                    Write(stderr, "launch: cancelled; stopping the workers");
                    KillAll(processes);
                    return 130;
                }
                var code = processes[entry.Rank].ExitCode;
                if (code == 0) continue;
                var others = pending.Count;
                Write(stderr, $"launch: rank {entry.Rank} failed with exit code {code}" +
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

    /// <summary>The start info of worker <paramref name="rank"/>: same program, same arguments, its own rank variables.</summary>
    public static ProcessStartInfo StartInfo(LaunchPlan plan, int rank)
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
        info.Environment["MASTER_PORT"] = plan.MasterPort.ToString(inv);
        info.Environment["WORLD_SIZE"] = plan.Workers.ToString(inv);
        info.Environment["RANK"] = rank.ToString(inv);
        info.Environment["LOCAL_RANK"] = rank.ToString(inv);
        info.Environment["LOCAL_WORLD_SIZE"] = plan.Workers.ToString(inv);
        info.Environment["SHARPVISION_THREADS"] = plan.ThreadsPerWorker.ToString(inv);
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
