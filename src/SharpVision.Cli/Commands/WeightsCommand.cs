using System.CommandLine;
using System.Globalization;
using SharpVision.Onnx;
using SharpVision.Transfer.Pretrained;
using SharpVision.Transfer;

namespace SharpVision.Cli.Commands;

/// <summary>
/// <c>sharpvision weights list|inspect|import|fetch</c>: the pretrained weights SharpVision knows, what a weights file
/// holds, converting PyTorch weights (scripts/weights/import_torchvision.py) and downloading torchvision's files with
/// checksum verification.
/// </summary>
public static class WeightsCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var cmd = new Command("weights", "List, inspect, import and fetch pretrained weights.");
        cmd.Subcommands.Add(List());
        cmd.Subcommands.Add(Inspect());
        cmd.Subcommands.Add(Import());
        cmd.Subcommands.Add(Fetch());
        return cmd;
    }

    private static Command List()
    {
        var folder = new Argument<string?>("folder") { Description = "A folder of weights files (default: the weights folders searched for names)", Arity = ArgumentArity.ZeroOrOne };
        var cmd = new Command("list", "Known pretrained weights (found locally or not) and the weights files in a folder.");
        cmd.Arguments.Add(folder);
        cmd.SetAction(parse => Guard(() =>
        {
            var given = parse.GetValue(folder);
            if (given is not null && !Directory.Exists(given)) throw new DirectoryNotFoundException($"no such folder: {given}");
            var folders = given is not null ? new[] { given } : PretrainedCatalog.SearchFolders();
            Console.WriteLine("known weights (torchvision ImageNet-1k):");
            foreach (var e in PretrainedCatalog.Entries)
            {
                string where;
                try { where = PretrainedWeights.Resolve(e.Name, folders); }
                catch (FileNotFoundException) { where = $"not here (sharpvision weights fetch {e.Name})"; }
                Console.WriteLine($"  {e.Name,-13} {e.InputSize}px  {where}");
            }
            Console.WriteLine($"weights folder: {PretrainedCatalog.DefaultFolder} (set ${PretrainedCatalog.WeightsFolderVariable} to change)");
            foreach (var f in folders)
            {
                var files = Directory.EnumerateFiles(f).Where(p => p.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase) || p.EndsWith(".pth", StringComparison.OrdinalIgnoreCase))
                    .OrderBy(p => p, StringComparer.Ordinal).ToList();
                Console.WriteLine($"{f}: {(files.Count == 0 ? "no weights files" : $"{files.Count} file(s)")}");
                foreach (var p in files)
                {
                    var size = new FileInfo(p).Length;
                    try
                    {
                        var s = WeightsFileSummary.Read(p);
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {Path.GetFileName(p)}  {size / 1e6:0.0} MB  {s.Tensors.Count} tensors, {s.ParameterCount:N0} parameters"));
                    }
                    catch (Exception e) when (e is InvalidDataException or IOException)
                    {
                        Console.WriteLine($"  {Path.GetFileName(p)}  unreadable: {e.Message}");
                    }
                }
            }
            return 0;
        }));
        return cmd;
    }

    private static Command Inspect()
    {
        var file = new Argument<string>("file") { Description = "A .safetensors weights or model file, or a PyTorch .pth/.pt state dict" };
        var all = new Option<bool>("--all") { Description = "List every tensor (default: the first 40)" };
        var cmd = new Command("inspect", "Tensor names, shapes and dtypes, parameter count and metadata of a weights file.");
        cmd.Arguments.Add(file);
        cmd.Options.Add(all);
        cmd.SetAction(parse => Guard(() =>
        {
            var summary = WeightsFileSummary.Read(parse.GetValue(file)!);
            Console.WriteLine(summary.Describe(parse.GetValue(all) ? null : 40));
            return 0;
        }));
        return cmd;
    }

    /// <summary><c>weights import MODEL.onnx --arch NAME</c>: maps the ONNX weights onto the zoo model, checks them on ONNX Runtime, writes safetensors.</summary>
    private static int ImportOnnx(string onnx, string? architecture, string? output, OnnxImportOptions options)
    {
        if (architecture is null) throw new ArgumentException($"{onnx}: give the zoo architecture its weights map onto with --arch (e.g. --arch resnet18)");
        var outPath = output ?? Path.ChangeExtension(onnx, ".safetensors");
        var result = OnnxWeightsImporter.ImportToFile(onnx, architecture, outPath, options);
        Console.WriteLine($"{onnx} → {outPath}: {result.Convolutions} convolutions and {result.Dense} dense layers mapped onto {architecture}" +
            (result.Unmapped.Count > 0 ? $"; not in the file (left to training): {string.Join(", ", result.Unmapped)}" : ""));
        Console.WriteLine($"ONNX Runtime check ({result.Compared}): {result.Verification}");
        Console.WriteLine($"normalisation: {result.Normalization?.ToString() ?? "the ONNX model's own input convention"}");
        if (result.Verification.MaxAbsDifference <= OnnxParityResult.Tolerance) return 0;
        Console.Error.WriteLine($"error: {onnx}: the imported {architecture} does not reproduce ONNX Runtime's {result.Compared} within {OnnxParityResult.Tolerance:0e+0}");
        return 1;
    }

    private static Command Import()
    {
        var arch = new Argument<string?>("architecture") { Description = "torchvision architecture to download and convert (mobilenet_v2, resnet50, ...), or an .onnx file to map onto --arch", Arity = ArgumentArity.ZeroOrOne };
        var onnxArch = new Option<string?>("--arch") { Description = "With an .onnx file: the zoo architecture its weights map onto (resnet18, ...)" };
        var preprocess = new Option<string?>("--preprocess") { Description = "With an .onnx file: its preprocessing graph (RGB→BGR, mean subtraction) to fold into the first layer" };
        var bgr = new Option<bool>("--bgr") { Description = "With an .onnx file: the model takes BGR input (CNTK, Caffe)" };
        var pth = new Option<string?>("--pth") { Description = "Convert this PyTorch state-dict file (.pth/.pt, torchvision or timm) instead, in C# without Python" };
        var output = new Option<string?>("--out") { Description = "Output .safetensors (default: the weights folder, NAME_imagenet.safetensors)" };
        var python = new Option<string?>("--python") { Description = "python3 with torch (default: /usr/bin/python3 or python3 on PATH)" };
        var print = new Option<bool>("--print") { Description = "Only print the command" };
        var cmd = new Command("import", $"Convert a PyTorch .pth to safetensors (C#, no Python), or download torchvision's weights by name with {TorchvisionImport.ScriptRelativePath} (python3 + torch).");
        cmd.Arguments.Add(arch);
        cmd.Options.Add(pth);
        cmd.Options.Add(output);
        cmd.Options.Add(python);
        cmd.Options.Add(print);
        cmd.Options.Add(onnxArch);
        cmd.Options.Add(preprocess);
        cmd.Options.Add(bgr);
        cmd.SetAction(parse => Guard(() =>
        {
            var name = parse.GetValue(arch);
            if (name is not null && ImagePredictors.IsOnnx(name))
                return ImportOnnx(name, parse.GetValue(onnxArch), parse.GetValue(output), new OnnxImportOptions { Bgr = parse.GetValue(bgr), PreprocessPath = parse.GetValue(preprocess) });
            var source = parse.GetValue(pth);
            if ((name is null) == (source is null)) throw new ArgumentException("give an architecture name or --pth FILE (not both)");
            var entry = name is null ? null : PretrainedCatalog.Get(name);
            var outPath = parse.GetValue(output)
                ?? (entry is not null ? Path.Combine(PretrainedCatalog.DefaultFolder, entry.LocalFileName) : Path.ChangeExtension(source!, ".safetensors"));
            var command = source is not null ? TorchvisionImport.ConvertCommand(source, outPath) : TorchvisionImport.ImportCommand(entry!.Architecture, outPath);
            if (parse.GetValue(print))
            {
                Console.WriteLine(command);
                return 0;
            }
            if (source is not null)
            {
                var count = TorchvisionImport.Convert(source, outPath);
                Console.WriteLine($"wrote {outPath}: {count} tensors (from {source}; read without Python, tensors and dicts only)");
                return 0;
            }
            var why = "";
            var py = parse.GetValue(python) ?? TorchvisionImport.FindPythonWithTorch(out why);
            if (py is null)
            {
                Console.Error.WriteLine($"error: {why}. Run this where python3 with torch{(source is null ? " and torchvision" : "")} is installed:\n  {command}");
                return 1;
            }
            var args = source is not null ? new[] { "--pth", source, "--out", outPath } : new[] { entry!.Architecture, "--out", outPath };
            var (code, log) = TorchvisionImport.Run(py, args);
            Console.Write(log);
            if (code != 0) Console.Error.WriteLine($"error: the import script failed (exit {code})");
            return code == 0 ? 0 : 1;
        }));
        return cmd;
    }

    private static Command Fetch()
    {
        var name = new Argument<string>("name") { Description = "Known weights: " + string.Join(", ", PretrainedCatalog.Entries.Select(e => e.Name)) };
        var folder = new Option<string?>("--folder") { Description = "Where to store the files (default: the weights folder)" };
        var url = new Option<string?>("--url") { Description = "Download from this URL instead (a mirror; the file name must keep torchvision's -HASH suffix)" };
        var noConvert = new Option<bool>("--no-convert") { Description = "Keep the .pth without converting it" };
        var cmd = new Command("fetch", "Download torchvision's weights for a known name, verify the SHA-256, and convert them to safetensors (in C#, no Python).");
        cmd.Arguments.Add(name);
        cmd.Options.Add(folder);
        cmd.Options.Add(url);
        cmd.Options.Add(noConvert);
        cmd.SetAction(parse => Guard(() =>
        {
            var entry = PretrainedCatalog.Get(parse.GetValue(name)!);
            var fetcher = new WeightsFetcher(log: Console.WriteLine);
            var custom = parse.GetValue(url) is { } u ? new Uri(u, UriKind.Absolute) : null;
            var result = fetcher.Fetch(entry, parse.GetValue(folder), custom, convert: !parse.GetValue(noConvert));
            Console.WriteLine(result.Message);
            return 0;
        }));
        return cmd;
    }

    /// <summary>Runs an action, turning expected failures into "error: …" on stderr and a non-zero exit code.</summary>
    private static int Guard(Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is ArgumentException or IOException or InvalidDataException or HttpRequestException or UriFormatException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }
}
