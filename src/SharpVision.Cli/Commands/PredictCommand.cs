using System.CommandLine;
using System.Globalization;
using System.Text;
using SharpVision.Engine;
using SharpVision.Imaging;
using SharpVision.Inference;
using SharpVision.Onnx;
using SharpVision.Reports;

namespace SharpVision.Cli.Commands;

/// <summary><c>sharpvision predict --model FILE IMAGE… [--top 3] [--csv OUT]</c>: label and confidence per image; folders → CSV.</summary>
public static class PredictCommand
{
    private static readonly string[] ImageExtensions = { ".jpg", ".jpeg", ".png", ".webp" };

    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "A model file written by train (.safetensors) or exported (.onnx, run on ONNX Runtime)", Required = true };
        var images = new Argument<string[]>("images") { Description = "Image files (JPEG, PNG) or folders of images", Arity = ArgumentArity.OneOrMore };
        var top = new Option<int>("--top") { Description = "How many classes to show per image", DefaultValueFactory = _ => 3 };
        var csv = new Option<string?>("--csv") { Description = "Write a CSV (path, label, confidence, top-k) here; default for folders: print CSV" };
        var batch = new Option<int>("--batch") { Description = "Images per forward pass", DefaultValueFactory = _ => 32 };
        var device = DeviceOption.Create();
        var cmd = new Command("predict", "Classify images with a trained model.");
        cmd.Options.Add(model);
        cmd.Arguments.Add(images);
        cmd.Options.Add(top);
        cmd.Options.Add(csv);
        cmd.Options.Add(batch);
        cmd.Options.Add(device);
        var inference = InferenceOptions.AddTo(cmd, withInput: true);
        cmd.SetAction(parse => CliErrors.Run(() =>
        {
            var modelPath = parse.GetValue(model)!;
            var onDevice = DeviceOption.Parse(parse.GetValue(device)!);
            var k = Math.Max(1, parse.GetValue(top));
            var inputs = parse.GetValue(images) ?? Array.Empty<string>();
            var files = new List<string>();
            var anyFolder = false;
            foreach (var input in inputs)
            {
                if (Directory.Exists(input))
                {
                    anyFolder = true;
                    files.AddRange(Directory.EnumerateFiles(input, "*", SearchOption.AllDirectories)
                        .Where(f => ImageExtensions.Contains(Path.GetExtension(f).ToLowerInvariant())).Order(StringComparer.Ordinal));
                }
                else if (File.Exists(input)) files.Add(input);
                else throw new FileNotFoundException($"no such image or folder: {input}", input);
            }
            using var classifier = ImagePredictors.Load(modelPath, inference.Read(parse, device: onDevice));
            var rows = Classify(classifier, files, k, Math.Max(1, parse.GetValue(batch)), out var failures);
            var csvPath = parse.GetValue(csv);
            if (csvPath is not null || anyFolder)
            {
                var text = ToCsv(rows, k, classifier.Descriptor.Unknown is not null);
                if (csvPath is null) Console.Write(text);
                else
                {
                    File.WriteAllText(csvPath, text);
                    Console.WriteLine($"{rows.Count} image(s) classified; CSV written to {csvPath}");
                }
            }
            else
            {
                foreach (var (path, result) in rows)
                {
                    var predictions = result.Top;
                    var best = predictions[0];
                    if (!result.Known)
                    {
                        // Rejected: the guesses stay visible so that a person can still pick one.
                        var guesses = string.Join(", ", predictions.Select(p => $"{p.ClassName} {p.Probability:0.000}"));
                        Console.WriteLine($"{path}: unknown (not one of the classes)   [top guesses: {guesses}]");
                        continue;
                    }
                    var others = string.Join(", ", predictions.Skip(1).Select(p => $"{p.ClassName} {p.Probability:0.000}"));
                    Console.WriteLine($"{path}: {best.ClassName} ({best.Probability:0.000})" + (others.Length > 0 ? $"   [{others}]" : ""));
                }
            }
            foreach (var (path, reason) in failures) Console.Error.WriteLine($"skipped {path}: {reason}");
            return failures.Count > 0 && rows.Count == 0 ? CliErrors.BadInput : 0;
        }));
        return cmd;
    }

    /// <summary>Classifies files in batches; unreadable images are reported in <paramref name="failures"/>, never fatal.</summary>
    internal static List<(string Path, Classification Result)> Classify(IImagePredictor classifier, IReadOnlyList<string> files, int k, int batchSize,
        out List<(string Path, string Reason)> failures)
    {
        failures = new List<(string, string)>();
        var rows = new List<(string, Classification)>();
        for (var start = 0; start < files.Count; start += batchSize)
        {
            var chunk = files.Skip(start).Take(batchSize).ToList();
            var decoded = new List<(string Path, RgbImage Image)>();
            foreach (var f in chunk)
            {
                try
                {
                    decoded.Add((f, ImageDecoder.DecodeFile(f)));
                }
                catch (InvalidImageException e)
                {
                    failures.Add((f, e.Reason));
                }
            }
            if (decoded.Count == 0) continue;
            var predictions = classifier.Classify(decoded.Select(d => d.Image).ToList(), k);
            for (var i = 0; i < decoded.Count; i++) rows.Add((decoded[i].Path, predictions[i]));
        }
        return rows;
    }

    private static string ToCsv(List<(string Path, Classification Result)> rows, int k, bool calibrated)
    {
        var sb = new StringBuilder("path,label,confidence");
        for (var i = 2; i <= k; i++) sb.Append(CultureInfo.InvariantCulture, $",label_{i},confidence_{i}");
        if (calibrated) sb.Append(",known,unknown_score");
        sb.Append('\n');
        foreach (var (path, result) in rows)
        {
            sb.Append(CsvText.Quote(path));
            foreach (var p in result.Top) sb.Append(',').Append(CsvText.Quote(p.ClassName)).Append(',').Append(p.Probability.ToString("0.######", CultureInfo.InvariantCulture));
            // Fewer classes than k: pad so that the optional columns stay aligned.
            for (var i = result.Top.Count; i < k && calibrated; i++) sb.Append(",,");
            if (calibrated) sb.Append(result.Known ? ",true," : ",false,").Append(result.UnknownScore?.ToString("0.######", CultureInfo.InvariantCulture));
            sb.Append('\n');
        }
        return sb.ToString();
    }

}
