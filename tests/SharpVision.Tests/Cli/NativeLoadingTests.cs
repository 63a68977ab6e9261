using System.Diagnostics;
using SharpVision.Tests.Support;

namespace SharpVision.Tests.Cli;

/// <summary>
/// The installed tool without its native shim, or with a shim that cannot load: one line that says what to do,
/// exit code 1, no stack trace. Runs a copy of the CLI's output folder, so the test's own engine is untouched.
/// </summary>
[Collection("Serial")]
public class NativeLoadingTests
{
    [Fact]
    public void AMissingOrUnloadableShimGivesOneLineNamingWhatToInstall()
    {
        using var dir = new TempDirectory();
        var source = AppContext.BaseDirectory;
        foreach (var f in Directory.GetFiles(source).Where(f => !f.EndsWith("libsharpvision_native.so", StringComparison.Ordinal) && (f.EndsWith(".dll") || f.EndsWith(".json"))))
            File.Copy(f, Path.Combine(dir.Path, Path.GetFileName(f)));

        var (code, err) = Run(dir.Path, null);
        Assert.Equal(1, code);
        var line = Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("libsharpvision_native.so was not found", line);
        Assert.DoesNotContain("Exception", line);

        var bogus = Path.Combine(dir.Path, "libsharpvision_native.so");
        File.WriteAllText(bogus, "not a shared library");
        (code, err) = Run(dir.Path, bogus);
        Assert.Equal(1, code);
        line = Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("apt-get install libtorch-dev", line);
        Assert.Contains(bogus, line);
    }

    private static (int Code, string Err) Run(string folder, string? native)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(folder, "SharpVision.Cli.dll"));
        foreach (var a in new[] { "summary", "--model", "lenet5" }) psi.ArgumentList.Add(a);
        psi.Environment["SHARPVISION_NATIVE"] = native ?? "";
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        _ = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, err.Result);
    }
}
