using SharpVision.Data;
using SharpVision.Engine;
using SharpVision.Imaging;

namespace SharpVision.Cli;

/// <summary>Runs a verb's body and turns expected failures into a clear one-line message and a non-zero exit code.</summary>
public static partial class CliErrors
{
    /// <summary>Exit code for bad input (arguments, files, data).</summary>
    public const int BadInput = 2;

    /// <summary>Exit code for failures while running.</summary>
    public const int Failure = 1;

    /// <summary>Runs <paramref name="body"/>; prints "error: …" to stderr for known errors.</summary>
    public static int Run(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (e is ArgumentException or FormatException or DatasetException or InvalidDataException
                                      or FileNotFoundException or DirectoryNotFoundException or InvalidImageException)
        {
            Console.Error.WriteLine($"error: {Message(e)}");
            return BadInput;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("interrupted; resume with --resume");
            return 130;
        }
        catch (Exception e) when (Environment.GetEnvironmentVariable("SHARPVISION_DEBUG") is not { Length: > 0 })
        {
            // Anything else is a failure while running: one line, no stack trace (SHARPVISION_DEBUG=1 shows it).
            Console.Error.WriteLine($"error: {Message(e)}");
            return Failure;
        }
    }

    /// <summary>The message without .NET's decorations ("(Parameter 'x')", "Actual value was …") or libtorch's C++ backtrace.</summary>
    public static string Message(Exception e)
    {
        var text = e.Message;
        if (e is TorchException)
        {
            // libtorch appends its dispatcher tables and a C++ backtrace after the first line.
            var firstLine = text.Split('\n', 2)[0].Trim();
            if (firstLine.Length > 0) text = firstLine;
        }
        text = Commands.TrainOptionSet.WithFlags(text);
        text = ParameterSuffix().Replace(text, "");
        text = ActualValue().Replace(text, "");
        return text.Trim();
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\s*\(Parameter '[^']*'\)")]
    private static partial System.Text.RegularExpressions.Regex ParameterSuffix();

    [System.Text.RegularExpressions.GeneratedRegex(@"\s*Actual value was [^\r\n]*")]
    private static partial System.Text.RegularExpressions.Regex ActualValue();
}
