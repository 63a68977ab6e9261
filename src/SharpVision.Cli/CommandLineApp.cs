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
        root.Subcommands.Add(Commands.LrFindCommand.Create());
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
        root.Subcommands.Add(Commands.ExportCommand.Create());
        root.Subcommands.Add(Commands.CalibrateUnknownCommand.Create());
        return root;
    }

    /// <summary>
    /// Parses and runs <paramref name="args"/>; returns the exit code: 0 done, 1 a failure while running, 2 a usage error
    /// (unknown verb or option, bad option value, missing required option) or bad input, 130 interrupted.
    /// </summary>
    public static int Run(string[] args)
    {
        var parse = BuildRoot().Parse(args);
        if (args.Length == 0)
        {
            // No verb: the overview, as a usage error (nothing was done).
            parse.RootCommandResult.Command.Parse("--help").Invoke();
            return UsageErrors.ExitCode;
        }
        if (parse.Errors.Count > 0) return UsageErrors.Report(parse, Console.Error);
        try
        {
            return parse.Invoke(new System.CommandLine.InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (NativeEngineProblem(e) is { } message)
        {
            // The shim or libtorch cannot be loaded: one line that says what to install, not a stack trace.
            Console.Error.WriteLine($"error: {message}");
            return 1;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"Unhandled exception: {e}");
            return 1;
        }
    }

    private static string? NativeEngineProblem(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
            if (x is DllNotFoundException) return x.Message;
        return null;
    }
}
