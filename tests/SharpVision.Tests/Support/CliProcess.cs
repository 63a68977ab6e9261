using System.Diagnostics;
using System.Text;
using SharpVision.Tests.Support;

namespace SharpVision.Tests.Support;

/// <summary>Runs the built sharpvision CLI (dotnet SharpVision.Cli.dll) as a child process and captures its output.</summary>
internal sealed class CliProcess : IDisposable
{
    private static readonly string[] RankVariables = { "MASTER_ADDR", "MASTER_PORT", "WORLD_SIZE", "RANK", "LOCAL_RANK", "LOCAL_WORLD_SIZE" };
    private readonly Process process;
    private readonly StringBuilder stdout = new();
    private readonly StringBuilder stderr = new();

    private CliProcess(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment)
    {
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(CliDll);
        foreach (var a in args) info.ArgumentList.Add(a);
        // Only what the test sets reaches the child: never a rank contract inherited from the test host.
        foreach (var v in RankVariables) info.Environment.Remove(v);
        info.Environment["SHARPVISION_THREADS"] = "1";
        if (environment is not null) foreach (var (k, v) in environment) info.Environment[k] = v;
        process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (stdout) stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>SharpVision.Cli.dll of the CLI project built in the same configuration as the tests.</summary>
    public static string CliDll { get; } = FindCli();

    public string Stdout { get { lock (stdout) return stdout.ToString(); } }

    public string Stderr { get { lock (stderr) return stderr.ToString(); } }

    public string Output => Stdout + Stderr;

    public int ExitCode => process.ExitCode;

    /// <summary>The child's process id (e.g. to read its memory from /proc).</summary>
    public int Id => process.Id;

    public bool HasExited => process.HasExited;

    public static CliProcess Start(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null) => new(args, environment);

    /// <summary>Starts one rank of a job through torchrun's environment contract.</summary>
    public static CliProcess StartRank(int rank, int worldSize, int port, IEnumerable<string> args) =>
        new(args, new Dictionary<string, string>
        {
            ["MASTER_ADDR"] = "127.0.0.1",
            ["MASTER_PORT"] = port.ToString(),
            ["WORLD_SIZE"] = worldSize.ToString(),
            ["RANK"] = rank.ToString(),
            ["LOCAL_RANK"] = rank.ToString(),
        });

    /// <summary>Waits for the exit; false (and the process killed) when it did not end within <paramref name="limit"/>.</summary>
    public bool WaitForExit(TimeSpan limit)
    {
        if (process.WaitForExit(limit))
        {
            process.WaitForExit(); // drains the redirected output
            return true;
        }
        Kill();
        return false;
    }

    public void Kill()
    {
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
        catch (InvalidOperationException)
        {
        }
    }

    public void Dispose()
    {
        Kill();
        process.Dispose();
    }

    private static string FindCli()
    {
        // Tests run from tests/SharpVision.Tests/bin/<Configuration>/net10.0/: use the CLI of the same configuration.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent?.Name ?? "Release";
        var candidates = new[]
        {
            Path.Combine(TestPaths.RepoRoot, "src", "SharpVision.Cli", "bin", configuration, "net10.0", "SharpVision.Cli.dll"),
            Path.Combine(AppContext.BaseDirectory, "SharpVision.Cli.dll"),
        };
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException("the sharpvision CLI is not built; looked in " + string.Join(", ", candidates));
    }
}
