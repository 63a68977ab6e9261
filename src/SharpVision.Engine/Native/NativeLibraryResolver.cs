using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SharpVision.Engine.Native;

/// <summary>
/// Finds libsharpvision_native.so: $SHARPVISION_NATIVE, next to the assemblies, in the NuGet package's
/// runtimes/&lt;rid&gt;/native folder beside the app, or wherever the app's deps.json puts it. It never searches a repository.
/// </summary>
internal static class NativeLibraryResolver
{
#pragma warning disable CA2255 // The resolver must be registered before the first P/Invoke of this assembly.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Register() => NativeLibrary.SetDllImportResolver(typeof(NativeLibraryResolver).Assembly, Resolve);

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != NativeMethods.Lib) return IntPtr.Zero;
        ApplyOpenMpDefaults();
        string? loadError = null;
        foreach (var candidate in Candidates())
        {
            if (!File.Exists(candidate)) continue;
            try
            {
                return NativeLibrary.Load(candidate);
            }
            catch (DllNotFoundException e)
            {
                // The shim is there but one of its dependencies (libtorch) is not: say which package brings it.
                loadError ??= $"{candidate} could not be loaded: {FirstLine(e.Message)}";
            }
        }
        if (NativeLibrary.TryLoad("lib" + name + ".so", assembly, searchPath, out var fallback)) return fallback;
        if (loadError is not null)
            throw new DllNotFoundException($"SharpVision's engine needs libtorch 1.13 (Debian: apt-get install libtorch-dev libopenblas0-pthread); {loadError}");
        throw new DllNotFoundException(
            "libsharpvision_native.so was not found (build it with './run build', or set SHARPVISION_NATIVE to its path); looked in: "
            + string.Join(", ", Candidates()));
    }

    private static string FirstLine(string s) => s.Split('\n', 2)[0].Trim();

    /// <summary>
    /// Bounds how long idle OpenMP workers spin before they sleep (GOMP_SPINCOUNT=3000, a few microseconds) unless the
    /// user chose a policy or set SHARPVISION_OMP_WAIT. libgomp's default (300,000 spins) makes a busy machine 2.5–20×
    /// slower, because spinning workers steal the core the thread they wait for needs; sleeping at once
    /// (SHARPVISION_OMP_WAIT=passive) costs ~20% on a quiet machine, where a short spin bridges the microsecond gaps
    /// between a training step's hundreds of small parallel regions (docs/engine.md has the measurements).
    /// SHARPVISION_OMP_WAIT=default leaves libgomp's defaults. libgomp reads the variables once, when libtorch loads
    /// it, so they are set natively just before the first load.
    /// </summary>
    private static void ApplyOpenMpDefaults()
    {
        if (!OperatingSystem.IsLinux()) return;
        if (Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") is not null || Environment.GetEnvironmentVariable("GOMP_SPINCOUNT") is not null) return;
        switch (Environment.GetEnvironmentVariable("SHARPVISION_OMP_WAIT"))
        {
            case "default":
                return;
            case "passive":
                setenv("OMP_WAIT_POLICY", "PASSIVE", 0);
                return;
            default:
                setenv("GOMP_SPINCOUNT", ShortSpinCount, 0);
                return;
        }
    }

    /// <summary>The spin count of the default ("short") OpenMP wait policy.</summary>
    internal const string ShortSpinCount = "3000";

    [DllImport("libc", EntryPoint = "setenv")]
    private static extern int setenv([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);

    private static IEnumerable<string> Candidates()
    {
        var env = Environment.GetEnvironmentVariable("SHARPVISION_NATIVE");
        if (!string.IsNullOrEmpty(env)) yield return env;
        yield return Path.Combine(AppContext.BaseDirectory, "libsharpvision_native.so");
        yield return Path.Combine(AppContext.BaseDirectory, "runtimes", RuntimeIdentifier, "native", "libsharpvision_native.so");
    }

    /// <summary>The NuGet runtime identifier whose native folder holds the shim ("linux-x64", "linux-arm64").</summary>
    internal static string RuntimeIdentifier => "linux-" + RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
}
