using System.Diagnostics;
using System.Text;
using SharpVision.Engine.IO;

namespace SharpVision.Transfer.Pretrained;

/// <summary>
/// The routes from PyTorch weights to SharpVision: <see cref="Convert"/> reads a .pth state dict in C# (no Python);
/// scripts/weights/import_torchvision.py, run with a python3 that has torch and torchvision, downloads torchvision's
/// weights by architecture name. Both write safetensors with the torchvision names that <see cref="PretrainedWeights.Load"/> reads.
/// </summary>
public static class TorchvisionImport
{
    /// <summary>The script's file name; the script itself is embedded in this assembly.</summary>
    public const string ScriptRelativePath = "import_torchvision.py";

    /// <summary>
    /// The script as a file: written from the copy embedded in this assembly into the weights folder's
    /// <c>tools/</c> subfolder (rewritten when the embedded copy changes), so an installed package needs no repository.
    /// </summary>
    public static string FindScript()
    {
        using var embedded = typeof(TorchvisionImport).Assembly.GetManifestResourceStream("scripts/import_torchvision.py")
            ?? throw new InvalidOperationException("the import script is not embedded in SharpVision.dll (a broken build)");
        using var copy = new MemoryStream();
        embedded.CopyTo(copy);
        var bytes = copy.ToArray();
        var path = Path.Combine(PretrainedCatalog.DefaultFolder, "tools", ScriptRelativePath);
        if (!File.Exists(path) || !File.ReadAllBytes(path).AsSpan().SequenceEqual(bytes))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            AtomicFile.WriteAllBytes(path, bytes);
        }
        return path;
    }

    private static string ScriptForCommand => FindScript();

    /// <summary>The command that converts a .pth state dict file into safetensors (in C#, no Python: <see cref="PyTorchCheckpoint"/>).</summary>
    public static string ConvertCommand(string pthPath, string outputPath, string? architecture = null) =>
        $"sharpvision weights import --pth {Quote(pthPath)} --out {Quote(outputPath)}";

    /// <summary>
    /// Converts a PyTorch checkpoint (.pth/.pt) into a SharpVision weights file, in C#: the restricted unpickler of
    /// <see cref="PyTorchCheckpoint"/> reads tensors, storages and dicts only and never runs code from the file.
    /// </summary>
    /// <returns>The number of tensors written.</returns>
    public static int Convert(string pthPath, string outputPath, string? architecture = null)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["format"] = "sharpvision-weights-v1",
            ["source"] = Path.GetFileName(pthPath),
            ["architecture"] = architecture ?? "",
            ["converted_by"] = "SharpVision.Engine.IO.PyTorchCheckpoint",
        };
        var dir = Path.GetDirectoryName(Path.GetFullPath(outputPath));
        if (dir is not null) Directory.CreateDirectory(dir);
        return PyTorchCheckpoint.ConvertToSafeTensors(pthPath, outputPath, metadata);
    }

    /// <summary>The command that downloads torchvision's ImageNet weights for <paramref name="architecture"/> (via torch.hub) and writes safetensors.</summary>
    public static string ImportCommand(string architecture, string outputPath) =>
        $"python3 {Quote(ScriptForCommand)} {architecture} --out {Quote(outputPath)}";

    /// <summary>A python3 that can import torch ("/usr/bin/python3" or python3 on PATH), or null with the reason in <paramref name="why"/>.</summary>
    public static string? FindPythonWithTorch(out string why)
    {
        var candidates = new List<string>();
        if (Environment.GetEnvironmentVariable("SHARPVISION_PYTHON") is { Length: > 0 } env) candidates.Add(env);
        candidates.Add("/usr/bin/python3");
        candidates.Add("python3");
        why = "no python3 was found";
        foreach (var python in candidates.Distinct())
        {
            try
            {
                var (code, output) = RunProcess(python, new[] { "-c", "import torch" }, TimeSpan.FromSeconds(60), CancellationToken.None);
                if (code == 0)
                {
                    why = "";
                    return python;
                }
                why = $"{python} cannot import torch ({output.Trim().Split('\n').LastOrDefault()})";
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // Not installed under this name: try the next.
            }
        }
        return null;
    }

    /// <summary>Runs the import script with <paramref name="arguments"/>; returns the exit code and the combined output.</summary>
    public static (int ExitCode, string Output) Run(string python, IReadOnlyList<string> arguments, CancellationToken cancellation = default)
    {
        var script = FindScript();
        return RunProcess(python, new[] { script }.Concat(arguments).ToArray(), TimeSpan.FromHours(1), cancellation);
    }

    private static (int, string) RunProcess(string file, IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken cancellation)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {file}");
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var registration = cancellation.Register(() => { try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { } });
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return (124, output + $"\n(timed out after {timeout})");
        }
        process.WaitForExit();
        lock (output) return (process.ExitCode, output.ToString());
    }

    private static string Quote(string s) => s.Any(c => char.IsWhiteSpace(c) || c is '\'' or '"') ? "'" + s.Replace("'", "'\\''") + "'" : s;
}
