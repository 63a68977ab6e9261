using System.Diagnostics;
using System.Globalization;
using SharpVision.Augmentation;
using SharpVision.Data;
using SharpVision.Engine;
using SharpVision.Models;
using SharpVision.Training;
using SharpVision.Training.Callbacks;
using SharpVision.Transfer;

namespace SharpVision.Bench;

/// <summary>
/// `transfer` driver: pretrained MobileNetV2 (or another known backbone) on an image folder with a stratified
/// validation split, through <see cref="FineTuneRecipe"/>. Prints per-epoch metrics and "RESULT key value" lines.
/// </summary>
public static class TransferBenchmark
{
    private const string Usage =
        "usage: SharpVision.Bench transfer --data DIR --run DIR [--weights mobilenet_v2] [--model mobilenet_v2] [--size 128]\n" +
        "         [--head-epochs 10] [--epochs 0] [--lr 1e-3] [--ft-lr 1e-4] [--head-schedule constant] [--ft-schedule cosine]\n" +
        "         [--unfreeze features.13+] [--discriminative 0.1] [--bn running|frozen|batch] [--aug SPEC] [--passes K] [--head-mode auto|cached|end-to-end]\n" +
        "         [--batch 32] [--wd 0.01] [--smoothing 0] [--ema D] [--taps features.13,features.16] [--exclude FILE] [--val 0.1 | --fold K/N] [--seed 0] [--threads 2] [--minutes 25] [--resume] [--cache-dir DIR]";

    /// <summary>Runs the driver.</summary>
    public static int Run(string[] args)
    {
        string? Opt(string name)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        }
        double Num(string name, double fallback) => Opt(name) is { } v ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;
        int Int(string name, int fallback) => Opt(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        var data = Opt("--data");
        var run = Opt("--run");
        if (data is null || run is null)
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }
        var arch = Opt("--model") ?? "mobilenet_v2";
        var weights = Opt("--weights") ?? arch;
        var size = Int("--size", 128);
        var seed = Int("--seed", 0);
        Torch.NumThreads = Int("--threads", Environment.ProcessorCount);
        var total = Stopwatch.StartNew();

        var dataset = DatasetOpener.Open(data);
        var (trainPart, validation) = Opt("--fold") is { } foldText
            ? DatasetSplit.Fold(dataset, CrossValidationFold.Parse(foldText, "--fold"), seed)
            : DatasetSplit.Stratified(dataset, Num("--val", 0.1), seed);
        ImageDataset train = trainPart;
        if (Opt("--exclude") is { } excludeFile)
        {
            (train, var removed) = ExclusionList.Load(excludeFile).Apply(train);
            Console.WriteLine($"excluded {removed} training images listed in {excludeFile}");
        }
        Console.WriteLine($"data: {dataset.Count} images, {dataset.ClassNames.Count} classes; train {train.Count}, validation {validation.Count} (seed {seed})");

        Torch.ManualSeed((ulong)seed);
        var options = new ModelOptions
        {
            NumClasses = dataset.ClassNames.Count, InputHeight = size, InputWidth = size,
            FeatureTaps = Opt("--taps") is { } taps ? taps.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) : null,
        };
        using var module = ModelZoo.Create(arch, options);
        var model = (IClassifierModel)module;
        var report = PretrainedWeights.Load(module, weights);
        Console.WriteLine(report.Describe());

        var preprocessor = new ImagePreprocessor(size, size);
        var augmentation = Opt("--aug") is { } a ? AugmentationSpec.Parse(a) : null;
        var descriptor = new ModelDescriptor
        {
            Architecture = arch,
            Options = options,
            ClassNames = dataset.ClassNames.ToArray(),
            InputHeight = size,
            InputWidth = size,
            Resize = ResizeMode.Stretch,
            Normalization = Normalization.ImageNet,
            Training = new Dictionary<string, string> { ["pretrained"] = report.Source, ["data"] = data },
        };
        var bn = (Opt("--bn") ?? "running") switch
        {
            "running" => BatchNormMode.RunningStatistics,
            "frozen" => BatchNormMode.Frozen,
            "batch" => BatchNormMode.BatchStatistics,
            var other => throw new ArgumentException($"--bn must be running, frozen or batch, got '{other}'"),
        };
        var headMode = (Opt("--head-mode") ?? "auto") switch
        {
            "auto" => HeadPhaseMode.Auto,
            "cached" => HeadPhaseMode.Cached,
            "end-to-end" => HeadPhaseMode.EndToEnd,
            var other => throw new ArgumentException($"--head-mode must be auto, cached or end-to-end, got '{other}'"),
        };
        var fineTuneOptions = new FineTuneOptions
        {
            RunDirectory = run,
            HeadEpochs = Int("--head-epochs", 10),
            FineTuneEpochs = Int("--epochs", 0),
            HeadLearningRate = Num("--lr", 1e-3),
            FineTuneLearningRate = Opt("--ft-lr") is null ? null : Num("--ft-lr", 1e-4),
            HeadSchedule = Opt("--head-schedule") ?? "constant",
            FineTuneSchedule = Opt("--ft-schedule") ?? "cosine",
            Unfreeze = Opt("--unfreeze") is { } u ? FreezeSpec.Parse(u) : null,
            LowestLearningRateScale = Opt("--discriminative") is null ? null : Num("--discriminative", 0.1),
            BatchNorm = bn,
            Augmentation = augmentation,
            HeadPhase = headMode,
            AugmentedPasses = Int("--passes", 0),
            BatchSize = Int("--batch", 32),
            WeightDecay = Num("--wd", 0.01),
            LabelSmoothing = Num("--smoothing", 0),
            EmaDecay = Opt("--ema") is null ? null : Num("--ema", 0.998),
            Seed = (ulong)seed,
            ModelName = weights,
            Resume = args.Contains("--resume"),
            FeatureCacheDirectory = Opt("--cache-dir"),
            Callbacks = new Callback[] { new EpochPrinter() },
            Log = line => Console.WriteLine($"[{total.Elapsed.TotalMinutes:00.0}m] {line}"),
        };
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(Num("--minutes", 25)));
        FineTuneResult result;
        try
        {
            result = FineTuneRecipe.Run(model, train, validation, preprocessor, Normalization.ImageNet, descriptor, fineTuneOptions, cancel.Token);
        }
        catch (OperationCanceledException)
        {
            Console.WriteLine($"stopped by the --minutes limit after {total.Elapsed.TotalMinutes:0.0} min; rerun with --resume to continue");
            return 3;
        }
        Report("best_val_accuracy", result.BestMetric);
        Report("best_phase", result.BestPhase ?? "none");
        Report("feature_extraction_seconds", result.FeatureExtractionTime.TotalSeconds);
        Report("head_phase_seconds", result.HeadPhaseTime.TotalSeconds);
        Report("fine_tune_phase_seconds", result.FineTunePhaseTime.TotalSeconds);
        if (result.HeadHistory.Count > 0) Report("head_epoch_seconds_median", Median(result.HeadHistory.Series("epoch_seconds")));
        if (result.FineTuneHistory.Count > 0) Report("fine_tune_epoch_seconds_median", Median(result.FineTuneHistory.Series("epoch_seconds")));
        Report("total_seconds", total.Elapsed.TotalSeconds);
        Console.WriteLine($"best model: {result.BestModelPath}; final model: {result.FinalModelPath}");
        return 0;
    }

    private static double Median(double[] values)
    {
        var s = values.Where(double.IsFinite).OrderBy(v => v).ToArray();
        return s.Length == 0 ? double.NaN : s[s.Length / 2];
    }

    private static void Report(string key, object value) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RESULT {key} {(value is double d ? d.ToString("0.####", CultureInfo.InvariantCulture) : value)}"));

    /// <summary>One line per epoch.</summary>
    private sealed class EpochPrinter : Callback
    {
        public override void OnEpochEnd(TrainingContext context, int epoch, IReadOnlyDictionary<string, double> m)
        {
            string V(string k) => m.TryGetValue(k, out var v) ? v.ToString("0.0000", CultureInfo.InvariantCulture) : "-";
            Console.WriteLine($"  epoch {epoch + 1}/{context.Epochs}: loss {V("loss")} acc {V("accuracy")} val_loss {V("val_loss")} val_acc {V("val_accuracy")} lr {m["lr"].ToString("0.######", CultureInfo.InvariantCulture)} ({m["epoch_seconds"]:0.0} s)");
        }
    }
}
