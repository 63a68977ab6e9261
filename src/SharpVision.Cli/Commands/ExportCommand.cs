using System.CommandLine;
using SharpVision.Onnx;

namespace SharpVision.Cli.Commands;

/// <summary><c>sharpvision export --model M.safetensors --out M.onnx [--softmax] [--no-verify]</c>: ONNX export with a parity check.</summary>
public static class ExportCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "A model file written by train (.safetensors)", Required = true };
        var output = new Option<string>("--out") { Description = "The .onnx file to write", Required = true };
        var softmax = new Option<bool>("--softmax") { Description = "Output probabilities (softmax) instead of logits" };
        var noVerify = new Option<bool>("--no-verify") { Description = "Skip the check that ONNX Runtime reproduces libtorch's outputs" };
        var opset = new Option<int>("--opset") { Description = "ONNX operator set (17 or newer)", DefaultValueFactory = _ => OnnxExporter.DefaultOpset };
        var cmd = new Command("export", "Export a trained model to ONNX (eval graph, dynamic batch, preprocessing in the metadata) and check it on ONNX Runtime.");
        foreach (var o in new Option[] { model, output, softmax, noVerify, opset }) cmd.Options.Add(o);
        cmd.SetAction(parse => CliErrors.Run(() =>
        {
            var modelPath = parse.GetValue(model)!;
            var outPath = parse.GetValue(output)!;
            var options = new OnnxExportOptions { Softmax = parse.GetValue(softmax), Opset = parse.GetValue(opset) };
            var parity = OnnxExporter.ExportFile(modelPath, outPath, options, verify: !parse.GetValue(noVerify));
            Console.WriteLine($"wrote {outPath} (opset {options.Opset}, output {(options.Softmax ? "probabilities" : "logits")})");
            if (parity is null) return 0;
            Console.WriteLine($"parity check: {parity}");
            if (parity.Passed) return 0;
            Console.Error.WriteLine($"error: {outPath}: ONNX Runtime does not reproduce the model within {OnnxParityResult.Tolerance:0e+0}; the file is kept for inspection");
            return CliErrors.Failure;
        }));
        return cmd;
    }
}
