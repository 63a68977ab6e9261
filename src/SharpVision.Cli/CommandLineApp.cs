using System.CommandLine;

namespace SharpVision.Cli;

/// <summary>Builds the sharpvision command tree (System.CommandLine) and runs it.</summary>
public static class CommandLineApp
{
    /// <summary>Creates the root command with every verb.</summary>
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("SharpVision: train, evaluate, explain, predict and serve image classifiers.");
        // One line per verb; each verb lives in Commands/<Verb>Command.cs with a static Create().
        root.Subcommands.Add(Commands.AugmentCommand.Create());
        root.Subcommands.Add(Commands.DemoCommand.Create());
        root.Subcommands.Add(Commands.TrainCommand.Create());
        root.Subcommands.Add(Commands.PredictCommand.Create());
        root.Subcommands.Add(Commands.ServeCommand.Create());
        root.Subcommands.Add(Commands.VersionCommand.Create());
        root.Subcommands.Add(Commands.LaunchCommand.Create());
        root.Subcommands.Add(Commands.DistSelfTestCommand.Create());
        root.Subcommands.Add(Commands.SummaryCommand.Create());
        root.Subcommands.Add(Commands.EvaluateCommand.Create());
        root.Subcommands.Add(Commands.ExplainCommand.Create());
        root.Subcommands.Add(Commands.WeightsCommand.Create());
        root.Subcommands.Add(Commands.AuditCommand.Create());
        root.Subcommands.Add(Commands.CalibrateUnknownCommand.Create());
        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/>; returns the exit code.</summary>
    public static int Run(string[] args) => BuildRoot().Parse(args).Invoke();
}
