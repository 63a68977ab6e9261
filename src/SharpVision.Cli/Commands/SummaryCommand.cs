using System.CommandLine;
using System.Globalization;
using SharpVision.Models;

namespace SharpVision.Cli.Commands;

/// <summary><c>sharpvision summary --model NAME [--input 128|128x96] [--classes 5] [--channels 3]</c>: prints a Keras-style table.</summary>
public static class SummaryCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = $"Model name: {string.Join(", ", ModelZoo.Names)}", Required = true };
        var input = new Option<string?>("--input") { Description = "Input size: 128 (square) or HEIGHTxWIDTH such as 128x96; default: the model's natural size" };
        var classes = new Option<int>("--classes") { Description = "Number of classes of the head", DefaultValueFactory = _ => 1000 };
        var channels = new Option<int>("--channels") { Description = "Input channels (3 = RGB, 1 = grayscale)", DefaultValueFactory = _ => 3 };
        var cmd = new Command("summary", "Print a model's layers, output shapes and parameter counts.");
        cmd.Options.Add(model);
        cmd.Options.Add(input);
        cmd.Options.Add(classes);
        cmd.Options.Add(channels);
        cmd.SetAction(parseResult =>
        {
            var name = parseResult.GetValue(model) ?? "";
            try
            {
                if (!ModelZoo.Contains(name))
                    throw new ArgumentException($"unknown model '{name}'; valid names: {string.Join(", ", ModelZoo.Names)}");
                var (h, w) = ParseSize(parseResult.GetValue(input), ModelZoo.DefaultInputSize(name));
                var c = parseResult.GetValue(channels);
                var options = new ModelOptions { NumClasses = parseResult.GetValue(classes), InputChannels = c, InputHeight = h, InputWidth = w };
                using var m = ModelZoo.Create(name, options);
                Console.WriteLine(ModelSummary.Create(m, c, h, w));
                return 0;
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 2;
            }
        });
        return cmd;
    }

    /// <summary>Parses "128" or "128x96" (height × width); null gives <paramref name="fallback"/>.</summary>
    internal static (int Height, int Width) ParseSize(string? text, (int Height, int Width) fallback)
    {
        if (string.IsNullOrWhiteSpace(text)) return fallback;
        var parts = text.Trim().ToLowerInvariant().Split('x');
        if (parts.Length is 1 or 2 && parts.All(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0))
        {
            var h = int.Parse(parts[0], CultureInfo.InvariantCulture);
            return (h, parts.Length == 2 ? int.Parse(parts[1], CultureInfo.InvariantCulture) : h);
        }
        throw new ArgumentException($"--input must be a positive size such as 128 or 128x96, got '{text}'");
    }
}
