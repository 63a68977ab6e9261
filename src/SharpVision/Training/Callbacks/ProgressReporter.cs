using System.Globalization;
using System.Text;
using Spectre.Console;

namespace SharpVision.Training.Callbacks;

/// <summary>
/// Shows training progress: a live Spectre.Console bar per epoch (ETA, loss, accuracy, images/s) when the output is an
/// interactive terminal, and one plain summary line per epoch always — so CI logs stay readable.
/// </summary>
public sealed class ProgressReporter : Callback
{
    private readonly bool live;
    private readonly object gate = new();
    private Task? renderer;
    private volatile bool epochDone;
    private int batchesDone;
    private string description = "";
    private DateTime epochStart;

    /// <summary>Creates the reporter; <paramref name="interactive"/> null = detect (terminal, not redirected, not CI).</summary>
    public ProgressReporter(bool? interactive = null)
    {
        live = interactive ?? (!Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive
                               && Environment.GetEnvironmentVariable("CI") is null);
    }

    /// <inheritdoc />
    public override void OnEpochBegin(TrainingContext context, int epoch)
    {
        epochStart = DateTime.UtcNow;
        batchesDone = 0;
        description = $"Epoch {epoch + 1}/{context.Epochs}";
        if (!live || !context.IsPrimary) return;
        epochDone = false;
        var total = Math.Max(1, context.StepsPerEpoch);
        renderer = Task.Run(() => AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(Markup.Escape(description), maxValue: total);
                while (!epochDone)
                {
                    lock (gate)
                    {
                        task.Value = batchesDone;
                        task.Description = Markup.Escape(description);
                    }
                    Thread.Sleep(100);
                }
                task.Value = total;
            }));
    }

    /// <inheritdoc />
    public override void OnBatchEnd(TrainingContext context, int batch, IReadOnlyDictionary<string, double> logs)
    {
        if (!live) return;
        lock (gate)
        {
            batchesDone = batch + 1;
            description = $"Epoch {context.Epoch + 1}/{context.Epochs}  " + Format(logs, "loss", "accuracy", "images_per_second");
        }
    }

    /// <inheritdoc />
    public override void OnEpochEnd(TrainingContext context, int epoch, IReadOnlyDictionary<string, double> metrics)
    {
        epochDone = true;
        renderer?.Wait();
        renderer = null;
        if (!context.IsPrimary) return;
        var seconds = (DateTime.UtcNow - epochStart).TotalSeconds;
        var keys = metrics.Keys.Where(k => k is not "epoch_seconds").ToArray();
        context.Log($"Epoch {epoch + 1}/{context.Epochs} - {seconds:0.0}s - " + Format(metrics, keys));
    }

    /// <inheritdoc />
    public override void OnTrainEnd(TrainingContext context)
    {
        epochDone = true;
        renderer?.Wait();
    }

    internal static string Format(IReadOnlyDictionary<string, double> m, params string[] keys)
    {
        var sb = new StringBuilder();
        foreach (var k in keys)
        {
            if (!m.TryGetValue(k, out var v)) continue;
            if (sb.Length > 0) sb.Append(" - ");
            var text = k switch
            {
                "images_per_second" => $"{v:0} img/s",
                "lr" => $"lr: {v.ToString("0.####e+0", CultureInfo.InvariantCulture)}",
                _ => $"{k}: {v.ToString("0.0000", CultureInfo.InvariantCulture)}",
            };
            sb.Append(text);
        }
        return sb.ToString();
    }
}
