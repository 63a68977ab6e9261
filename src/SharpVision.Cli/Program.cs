namespace SharpVision.Cli;

/// <summary>Entry point of the sharpvision command.</summary>
public static class Program
{
    /// <summary>Runs the command line and returns the process exit code.</summary>
    public static int Main(string[] args) => CommandLineApp.Run(args);
}
