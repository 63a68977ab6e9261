using SharpVision.Cli;

namespace SharpVision.Tests.Support;

/// <summary>Runs the sharpvision command line in-process with Console.Out and Console.Error captured.</summary>
internal static class ConsoleCapture
{
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var (oldOut, oldErr) = (Console.Out, Console.Error);
        using var o = new StringWriter();
        using var e = new StringWriter();
        Console.SetOut(o);
        Console.SetError(e);
        try { return (CommandLineApp.Run(args), o.ToString(), e.ToString()); }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldErr);
        }
    }
}
