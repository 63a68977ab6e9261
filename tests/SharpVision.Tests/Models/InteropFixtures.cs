using System.Diagnostics;
using System.Security.Cryptography;
using SharpVision.Tests.Support;

namespace SharpVision.Tests.Models;

/// <summary>
/// PyTorch reference fixtures made by scripts/interop/export_torchvision.py into build/interop-fixtures, regenerated
/// only when the script changes (its SHA-256 is kept in a stamp file). Needs /usr/bin/python3 with torch and torchvision.
/// </summary>
internal static class InteropFixtures
{
    private const string Python = "/usr/bin/python3";
    private static readonly object Gate = new();
    private static readonly Lazy<string?> Unavailable = new(ProbePython);
    private static string? ready;

    public static string Script => Path.Combine(TestPaths.RepoRoot, "scripts", "interop", "export_torchvision.py");

    public static string Folder => Path.Combine(TestPaths.RepoRoot, "build", "interop-fixtures");

    /// <summary>Null when python3 can import torch and torchvision, otherwise why not.</summary>
    public static string? WhyUnavailable => Unavailable.Value;

    /// <summary>The fixture folder, generating the fixtures first when needed.</summary>
    public static string Ensure()
    {
        lock (Gate)
        {
            if (ready is not null) return ready;
            if (WhyUnavailable is { } why)
                throw new InvalidOperationException($"PyTorch interop fixtures cannot be generated: {why} (install python3-torch and python3-torchvision)");
            var hash = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(Script)));
            var stamp = Path.Combine(Folder, "stamp.txt");
            if (!File.Exists(stamp) || File.ReadAllText(stamp).Trim() != hash)
            {
                Directory.CreateDirectory(Folder);
                if (File.Exists(stamp)) File.Delete(stamp);
                var (code, output) = RunPython(TimeSpan.FromMinutes(10), Script, "--out", Folder);
                if (code != 0) throw new InvalidOperationException($"{Script} failed with exit code {code}:{Environment.NewLine}{output}");
                File.WriteAllText(stamp, hash);
            }
            return ready = Folder;
        }
    }

    private static string? ProbePython()
    {
        if (!File.Exists(Python)) return $"{Python} not found";
        try
        {
            var (code, output) = RunPython(TimeSpan.FromMinutes(2), "-c", "import torch, torchvision");
            return code == 0 ? null : $"{Python} cannot import torch/torchvision: {output.Trim()}";
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or TimeoutException)
        {
            return $"{Python} could not run: {e.Message}";
        }
    }

    private static (int Code, string Output) RunPython(TimeSpan timeout, params string[] args)
    {
        var psi = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {Python}");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Python} {string.Join(' ', args)} did not finish within {timeout}");
        }
        return (p.ExitCode, stdout.Result + stderr.Result);
    }
}

/// <summary>
/// A theory that needs the PyTorch fixtures: skipped (with the reason) when python3 lacks torch outside CI; under
/// CI=true it runs and fails loudly instead.
/// </summary>
public sealed class InteropTheoryAttribute : TheoryAttribute
{
    /// <summary>Sets Skip when PyTorch is unavailable outside CI.</summary>
    public InteropTheoryAttribute()
    {
        if (!TestPaths.InCi && InteropFixtures.WhyUnavailable is { } why)
            Skip = $"PyTorch interop skipped locally: {why}. Under CI=true this test fails instead.";
    }
}

/// <summary>A fact that needs the PyTorch fixtures: skipped locally without torch, failing loudly under CI=true.</summary>
public sealed class InteropFactAttribute : FactAttribute
{
    /// <summary>Sets Skip when PyTorch is unavailable outside CI.</summary>
    public InteropFactAttribute()
    {
        if (!TestPaths.InCi && InteropFixtures.WhyUnavailable is { } why)
            Skip = $"PyTorch interop skipped locally: {why}. Under CI=true this test fails instead.";
    }
}
