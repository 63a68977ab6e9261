using SharpVision.Data;
using SharpVision.Engine;
using SharpVision.Imaging;

namespace SharpVision.Cli;

/// <summary>Runs a verb's body and turns expected failures into a clear one-line message and a non-zero exit code.</summary>
public static class CliErrors
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
            Console.Error.WriteLine($"error: {e.Message}");
            return BadInput;
        }
        catch (Exception e) when (e is TorchException or InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return Failure;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("interrupted; resume with --resume");
            return 130;
        }
    }
}
