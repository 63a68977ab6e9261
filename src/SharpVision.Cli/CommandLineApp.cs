using System.CommandLine;

namespace SharpVision.Cli;

/// <summary>Builds the sharpvision command tree (System.CommandLine) and runs it.</summary>
public static class CommandLineApp
{
    /// <summary>Parses and runs <paramref name="args"/>; returns the exit code.</summary>
    public static int Run(string[] args)
    {
        var root = new RootCommand("SharpVision: train, evaluate, explain, predict and serve image classifiers.");
        return root.Parse(args).Invoke();
    }
}
