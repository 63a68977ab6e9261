using System.CommandLine;
using SharpVision.Cli.Commands;
using SharpVision.Data;
using SharpVision.Engine;
using SharpVision.Onnx;

namespace SharpVision.Cli;

/// <summary>
/// The options predict, evaluate and serve share for opening a model: --threads, and for an .onnx file without
/// SharpVision's metadata --classes, --normalize (and --input where the verb has no --input of its own).
/// </summary>
internal sealed class InferenceOptions
{
    private readonly Option<string?> classes = new("--classes") { Description = "ONNX models without SharpVision metadata: class names in output order (a,b,c or a file with one per line)" };
    private readonly Option<string?> normalize = new("--normalize") { Description = "ONNX models without SharpVision metadata: unit | minusone | imagenet" };
    private readonly Option<int?> threads = new("--threads") { Description = "Intra-op threads of libtorch or ONNX Runtime (default: all cores)" };
    private readonly Option<string?>? input;
    private readonly Option<string>? device;

    private InferenceOptions(Command command, bool withInput, bool withDevice)
    {
        if (withDevice)
        {
            device = DeviceOption.Create();
            command.Options.Add(device);
        }
        if (withInput)
        {
            input = new Option<string?>("--input") { Description = "ONNX models without SharpVision metadata: input size, 224 or HEIGHTxWIDTH" };
            command.Options.Add(input);
        }
        command.Options.Add(classes);
        command.Options.Add(normalize);
        command.Options.Add(threads);
    }

    /// <summary>
    /// Adds the options to <paramref name="command"/>; <paramref name="withInput"/> adds --input too, and
    /// <paramref name="withDevice"/> --device (for verbs that have none of their own).
    /// </summary>
    public static InferenceOptions AddTo(Command command, bool withInput, bool withDevice = false) => new(command, withInput, withDevice);

    /// <summary>The settings given on the command line (<paramref name="inputSize"/>: the verb's own --input).</summary>
    public ImagePredictorOptions Read(ParseResult parse, (int Height, int Width)? inputSize = null, Device? device = null)
    {
        var size = inputSize ?? (input is not null && parse.GetValue(input) is { } text ? SummaryCommand.ParseSize(text, (0, 0)) : null);
        var mode = TrainOptionSet.ParseNormalization(parse.GetValue(normalize));
        return new ImagePredictorOptions
        {
            InputSize = size,
            Threads = parse.GetValue(threads),
            Device = device ?? (this.device is not null ? DeviceOption.Parse(parse.GetValue(this.device)!) : null),
            Onnx = new OnnxOverrides
            {
                Classes = ParseClasses(parse.GetValue(classes)),
                Normalization = mode is { } m ? Normalization.For(m) : null,
            },
        };
    }

    /// <summary>"a,b,c", or a file with one class per line.</summary>
    private static IReadOnlyList<string>? ParseClasses(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var names = File.Exists(text)
            ? File.ReadAllLines(text).Select(l => l.Trim()).Where(l => l.Length > 0).ToArray()
            : text.Split(',').Select(s => s.Trim()).ToArray();
        if (names.Length == 0 || names.Any(n => n.Length == 0)) throw new ArgumentException($"--classes '{text}' has an empty class name");
        return names;
    }
}
