using System.CommandLine;
using System.Globalization;
using SharpVision.Distributed;
using SharpVision.Engine;
using SharpVision.Engine.Distributed;
using SharpVision.Engine.IO;

namespace SharpVision.Cli.Commands;

/// <summary>
/// <c>sharpvision dist-selftest</c> (hidden): trains a small fixed network on synthetic data as one rank of a
/// data-parallel job (torchrun's environment contract) or as a single process, and saves the final weights. Used by the
/// distributed tests and bench/distributed.sh.
/// </summary>
public static class DistSelfTestCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var steps = new Option<int>("--steps") { Description = "Optimizer steps.", DefaultValueFactory = _ => 5 };
        var globalBatch = new Option<int>("--global-batch") { Description = "Samples per step over all ranks.", DefaultValueFactory = _ => 8 };
        var samples = new Option<int>("--samples") { Description = "Synthetic dataset size.", DefaultValueFactory = _ => 64 };
        var imageSize = new Option<int>("--image-size") { Description = "Image side in pixels.", DefaultValueFactory = _ => 16 };
        var model = new Option<string>("--model") { Description = "tiny or convnet.", DefaultValueFactory = _ => "tiny" };
        model.AcceptOnlyFromAmong("tiny", "convnet");
        var lr = new Option<double>("--lr") { Description = "SGD learning rate.", DefaultValueFactory = _ => 0.05 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of data, weights and order.", DefaultValueFactory = _ => 1UL };
        var bucketKb = new Option<long>("--bucket-kb") { Description = "Gradient bucket size bound in KiB.", DefaultValueFactory = _ => GradientSynchronizer.DefaultBucketBytes / 1024 };
        var timeout = new Option<double>("--timeout") { Description = "Timeout of the rendezvous and each collective, in seconds.", DefaultValueFactory = _ => 60 };
        var output = new Option<string?>("--out") { Description = "Safetensors file for the final weights (rank 0; '{rank}' in the name makes every rank write)." };
        var failAtStep = new Option<int>("--fail-at-step") { Description = "Make --fail-rank fail before this step (-1: never).", DefaultValueFactory = _ => -1 };
        var failRank = new Option<int>("--fail-rank") { Description = "The rank that fails.", DefaultValueFactory = _ => 1 };
        var failMode = new Option<string>("--fail-mode") { Description = "exit (exit code 3 at once) or hang (stop answering).", DefaultValueFactory = _ => "exit" };
        failMode.AcceptOnlyFromAmong("exit", "hang");

        var cmd = new Command("dist-selftest", "Train a tiny network data-parallel on synthetic data (tests and benchmarks).") { Hidden = true };
        foreach (var o in new Option[] { steps, globalBatch, samples, imageSize, model, lr, seed, bucketKb, timeout, output, failAtStep, failRank, failMode })
            cmd.Options.Add(o);
        cmd.SetAction(parse =>
        {
            var options = new SelfTestOptions
            {
                Steps = parse.GetValue(steps),
                GlobalBatch = parse.GetValue(globalBatch),
                Samples = parse.GetValue(samples),
                ImageSize = parse.GetValue(imageSize),
                Model = parse.GetValue(model) == "convnet" ? SelfTestModel.ConvNet : SelfTestModel.Tiny,
                LearningRate = parse.GetValue(lr),
                Seed = parse.GetValue(seed),
                BucketBytes = parse.GetValue(bucketKb) * 1024,
            };
            return Run(options, TimeSpan.FromSeconds(parse.GetValue(timeout)), parse.GetValue(output),
                parse.GetValue(failAtStep), parse.GetValue(failRank), parse.GetValue(failMode) ?? "exit");
        });
        return cmd;
    }

    private static int Run(SelfTestOptions options, TimeSpan timeout, string? output, int failAtStep, int failRank, string failMode)
    {
        ProcessGroup? group = null;
        try
        {
            Torch.ManualSeed(options.Seed);
            if (DistributedEnvironment.IsPresent) group = ProcessGroup.FromEnvironment(timeout, DistributedBackend.Gloo);
            var rank = group?.Rank ?? 0;
            var world = group?.WorldSize ?? 1;
            Console.WriteLine($"dist-selftest: rank {rank} of {world}, {Torch.NumThreads} thread(s), model {options.Model}, global batch {options.GlobalBatch}");
            var result = DataParallelSelfTest.Run(options, group, step =>
            {
                if (step != failAtStep || rank != failRank) return;
                Console.Error.WriteLine($"dist-selftest: rank {rank} fails on purpose before step {step} ({failMode})");
                Console.Error.Flush();
                if (failMode == "hang") Thread.Sleep(Timeout.Infinite);
                Environment.Exit(3);
            });
            try
            {
                var t = result.Totals;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"dist-selftest: rank {rank} totals loss {t.MeanLoss:F6} accuracy {t.Accuracy:F4} samples {t.Count}"));
                if (!double.IsNaN(result.ImagesPerSecond) && rank == 0)
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"dist-selftest: throughput {result.ImagesPerSecond:F1} images/s, gradient all-reduce {result.SyncSecondsPerStep * 1000:F1} ms/step"));
                if (output is not null && (rank == 0 || output.Contains("{rank}", StringComparison.Ordinal)))
                {
                    var path = output.Replace("{rank}", rank.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
                    SafeTensors.Save(path, result.Weights);
                    Console.WriteLine($"dist-selftest: rank {rank} wrote {path}");
                }
            }
            finally
            {
                foreach (var w in result.Weights.Values) w.Dispose();
            }
            // Rank 0 hosts the store: leave together so that nobody loses it while still working.
            group?.Barrier();
            return 0;
        }
        catch (Exception e) when (e is TorchException or InvalidOperationException or ArgumentException or IOException)
        {
            Console.Error.WriteLine($"dist-selftest: error: {e.Message}");
            return 1;
        }
        finally
        {
            group?.Dispose();
        }
    }
}
