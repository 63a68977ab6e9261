using System.CommandLine;
using SharpVision.Training;
using SharpVision.Training.LearningRates;

namespace SharpVision.Cli.Commands;

/// <summary>
/// <c>sharpvision lr-find</c>: the learning-rate range test. Takes train's command line (swap the verb), sweeps the rate
/// over ~100 mini-batches from the initial weights, writes lr-find.png / lr-find.csv into --out and prints the suggestion.
/// </summary>
public static class LrFindCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var set = new TrainOptionSet();
        var defaults = new LearningRateFinderOptions();
        var steps = new Option<int>("--steps") { Description = "Mini-batches in the sweep", DefaultValueFactory = _ => defaults.Steps };
        var start = new Option<double>("--start-lr") { Description = "Rate of the first mini-batch", DefaultValueFactory = _ => defaults.StartLearningRate };
        var end = new Option<double>("--end-lr") { Description = "Rate of the last mini-batch (the sweep stops early when the loss diverges)", DefaultValueFactory = _ => defaults.EndLearningRate };
        var cmd = new Command("lr-find", "Find a learning rate: train's options, an exponential sweep of the rate over ~100 mini-batches from the initial weights; "
                                         + "writes lr-find.png and lr-find.csv into --out and prints the suggested --lr.");
        set.AddTo(cmd);
        cmd.Options.Add(steps);
        cmd.Options.Add(start);
        cmd.Options.Add(end);
        cmd.SetAction(parse => CliErrors.Run(() =>
        {
            var finder = new LearningRateFinderOptions { Steps = parse.GetValue(steps), StartLearningRate = parse.GetValue(start), EndLearningRate = parse.GetValue(end) };
            finder.Validate();
            var options = set.Bind(parse) with { LearningRateFinder = finder };
            var result = TrainingRun.FindLearningRate(options, Console.WriteLine);
            Console.WriteLine($"Train with: --lr {LearningRateFinderResult.Format(result.Suggested)}   (or --lr auto to run this sweep first)");
            return 0;
        }));
        return cmd;
    }
}
