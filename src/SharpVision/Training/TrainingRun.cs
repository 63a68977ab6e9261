using System.Globalization;
using System.Text.Json;
using SharpVision.Augmentation;
using SharpVision.Data;
using SharpVision.Distributed;
using SharpVision.Engine;
using SharpVision.Engine.Distributed;
using SharpVision.Engine.IO;
using SharpVision.Imaging;
using SharpVision.Layers;
using SharpVision.Models;
using SharpVision.Training.Callbacks;
using SharpVision.Training.Optimizers;
using SharpVision.Training.Schedules;
using SharpVision.Transfer;

namespace SharpVision.Training;

/// <summary>
/// A complete training run as `sharpvision train` performs it: opens and splits the data (reporting class counts
/// and skipped files before anything trains), builds the model, trains with validation, checkpoints, TensorBoard,
/// history and learning curves in the run folder, and saves the best and final model files. Distributed when
/// launched with torchrun's environment variables.
/// </summary>
public static class TrainingRun
{
    /// <summary>Runs training. <paramref name="configureModel"/> may load pretrained weights or freeze layers.</summary>
    public static TrainingRunResult Run(TrainingRunOptions o, Action<string>? log = null, Action<Module, ModelDescriptor>? configureModel = null,
        CancellationToken cancellation = default)
    {
        log ??= Console.WriteLine;
        if (o.EmaDecay is { } decay && !ExponentialMovingAverage.IsValidDecay(decay))
            throw new ArgumentException($"--ema {decay.ToString(CultureInfo.InvariantCulture)}: the decay must be between 0 and 1 (exclusive), e.g. 0.998");
        if (o.Threads is { } threads) Torch.NumThreads = threads;
        if (o.Distributed && !DistributedEnvironment.IsPresent)
            throw new InvalidOperationException("--distributed needs torchrun's environment (MASTER_ADDR, MASTER_PORT, WORLD_SIZE, RANK); start workers with `sharpvision launch --nproc N -- train …`");
        using var group = DistributedEnvironment.IsPresent ? ProcessGroup.FromEnvironment() : null;
        var rank = group?.Rank ?? 0;
        var world = group?.WorldSize ?? 1;
        var primary = rank == 0;
        var say = primary ? log : _ => { };
        if (o.BatchSize % world != 0) throw new ArgumentException($"the global batch size {o.BatchSize} must be divisible by the number of processes ({world})");

        // ---- data: everything that can be wrong with it is reported before training starts ----
        var full = DatasetOpener.Open(o.DataPath, o.Format, "train", o.Classes);
        ImageDataset train = full;
        ImageDataset? validation = null;
        if (o.ValidationPath is not null)
            validation = DatasetOpener.Open(o.ValidationPath, o.Format, "test", full.ClassNames);
        else if (o.ValidationFold is { } fold)
            (train, validation) = DatasetSplit.Fold(full, fold, (long)o.Seed);
        else if (o.ValidationSplit > 0)
            (train, validation) = DatasetSplit.Stratified(full, o.ValidationSplit, (long)o.Seed);
        if (o.Limit is { } limit && limit < train.Count)
            train = DatasetSplit.Stratified(train, (double)limit / train.Count, (long)o.Seed + 1).Validation;
        var exclusions = o.ExcludeList is null ? null : ExclusionList.Load(o.ExcludeList);
        if (exclusions is not null)
        {
            // Only training images are left out: the validation images stay, so accuracies remain comparable.
            (train, var removed) = exclusions.Apply(train);
            say($"Excluded {removed} training image(s) listed in {exclusions.Source} ({exclusions.Count - removed} listed file(s) are not training images here and stay)");
            if (train.ClassCounts().Any(c => c == 0))
                throw new ArgumentException($"{exclusions.Source}: excluding these images leaves a class with no training images");
        }

        say($"Data: {o.DataPath} — {full.ClassNames.Count} classes, {train.Count} training images" +
            (validation is null ? ", no validation" : $", {validation.Count} validation images ({(o.ValidationPath is not null ? o.ValidationPath : o.ValidationFold is { } f ? $"stratified fold {f}, seed {o.Seed}" : $"stratified {o.ValidationSplit:P0} split, seed {o.Seed}")})"));
        say(DatasetStatistics.Of(train).Format());
        ReportSkipped(full, validation, say);

        // ---- model ----
        var (defaultH, defaultW) = ModelZoo.DefaultInputSize(o.Model);
        var height = o.InputHeight > 0 ? o.InputHeight : defaultH;
        var width = o.InputWidth > 0 ? o.InputWidth : (o.InputHeight > 0 ? o.InputHeight : defaultW);
        var modelOptions = new ModelOptions
        {
            NumClasses = full.ClassNames.Count,
            InputChannels = full.Channels,
            InputHeight = height,
            InputWidth = width,
            Dropout = o.Dropout,
            FeatureTaps = o.FeatureTaps is { Count: > 0 } ? o.FeatureTaps : null,
        };
        Torch.ManualSeed(o.Seed);
        using var model = ModelZoo.Create(o.Model, modelOptions);
        var normalization = Normalization.For(o.Normalization ?? (o.Pretrained is null ? NormalizationMode.Unit : NormalizationMode.ImageNet));
        var descriptor = new ModelDescriptor
        {
            Architecture = o.Model,
            Options = modelOptions,
            ClassNames = full.ClassNames.ToArray(),
            InputChannels = full.Channels,
            InputHeight = height,
            InputWidth = width,
            Resize = o.Resize,
            Normalization = normalization,
        };
        if (o.Pretrained is not null)
        {
            var report = PretrainedWeights.Load(model, o.Pretrained);
            say(report.Describe());
        }
        if (o.Freeze is not null) say($"Frozen: {string.Join(", ", FreezeSpec.Parse(o.Freeze).Freeze(model))}");
        if (o.FreezeUntil is not null) say($"Frozen: {string.Join(", ", FreezeSpec.Until(model, o.FreezeUntil).Freeze(model))}");
        configureModel?.Invoke(model, descriptor);
        model.To(o.Device);
        say($"Model: {o.Model} at {full.Channels}×{height}×{width}, {model.CountParameters(false):N0} parameters ({model.CountParameters(true):N0} trainable)");

        if (o.FineTune is { } ft)
        {
            if (world > 1) throw new ArgumentException("--fine-tune runs in one process; distributed fine-tuning is not supported");
            return RunFineTune(o, ft, model, descriptor, train, validation, normalization, say, cancellation);
        }

        // ---- optimisation ----
        var named = model.NamedParameters().Select(p => new NamedTensor(p.Name, p.Parameter.Value)).ToList();
        using var optimizer = CreateOptimizer(o, new[] { new ParameterGroup(named) });
        var schedule = LearningRateSchedule.Parse(o.Schedule);
        using var loss = new LossFunction(o.LabelSmoothing, device: o.Device);
        var augmentation = o.Augment is null ? null : AugmentationSpec.Parse(o.Augment);
        var pipeline = new StandardInputPipeline(o.Device, normalization, augmentation);

        var preprocessor = new ImagePreprocessor(height, width, o.Resize);
        var trainLoader = new DataLoader(train, preprocessor, new DataLoaderOptions
        {
            BatchSize = o.BatchSize / world,
            Shuffle = true,
            Seed = (long)o.Seed,
            BalancedSampling = o.BalancedSampling,
            CacheImages = o.CacheImages,
            DropLast = world > 1,
        });
        if (world > 1) trainLoader = trainLoader.Shard(rank, world, evenShards: true);
        DataLoader? valLoader = null;
        if (validation is not null)
        {
            valLoader = new DataLoader(validation, preprocessor, new DataLoaderOptions { BatchSize = Math.Max(o.BatchSize, 64), Shuffle = false, CacheImages = o.CacheImages });
            if (world > 1) valLoader = valLoader.Shard(rank, world);
        }

        // ---- run folder and callbacks ----
        var dir = o.OutputDirectory;
        var bestPath = Path.Combine(dir, "best.safetensors");
        var finalPath = Path.Combine(dir, "model.safetensors");
        if (primary)
        {
            Directory.CreateDirectory(dir);
            WriteRunJson(o, dir, descriptor, train.Count, validation?.Count ?? 0, world);
        }
        var monitor = validation is null && o.Monitor.StartsWith("val_", StringComparison.Ordinal) ? o.Monitor[4..] : o.Monitor;
        var checkpoint = new ModelCheckpoint(bestPath, monitor);
        using var tensorBoard = new TensorBoardLogger(dir, samples: SampleImages(train, preprocessor));
        var callbacks = new List<Callback>
        {
            new ProgressReporter(o.Progress),
            checkpoint,
            new CsvLogger(Path.Combine(dir, "history.csv")),
            new LearningCurvePlot(Path.Combine(dir, "curves.png")),
            tensorBoard,
        };
        EarlyStopping? early = null;
        if (o.EarlyStoppingPatience is { } patience) callbacks.Add(early = new EarlyStopping(monitor, patience, restoreBestWeights: true));

        var trainer = new Trainer(model, optimizer, loss, new TrainerOptions
        {
            Epochs = o.Epochs,
            LearningRate = optimizer.LearningRate,
            Seed = o.Seed,
            Rank = rank,
            Device = o.Device,
            ClipGradientNorm = o.ClipGradientNorm,
            EmaDecay = o.EmaDecay,
            CheckpointPath = Path.Combine(dir, "last.checkpoint"),
            Resume = o.Resume,
            Fingerprint = Fingerprint(o, descriptor, world, exclusions),
        }, schedule, pipeline)
        {
            IsPrimary = primary,
            Log = say,
        };
        var started = DateTime.UtcNow;
        trainer.ModelSaver = path => ModelFile.Save(path, model, descriptor with { Training = Summary(o, trainer, checkpoint, started) });
        GradientSynchronizer? sync = null;
        if (group is not null && world > 1)
        {
            sync = new GradientSynchronizer(group, model.Parameters().Select(p => p.Value).ToList(), model.NamedBuffers().Select(b => b.Buffer).ToList());
            sync.BroadcastParameters();
            trainer.AfterBackward = sync.Synchronize;
            trainer.BeforeValidation = sync.BroadcastBuffers;
            trainer.ReduceSums = new MetricsReducer(group).Sum;
            say($"Distributed: {world} processes, global batch {o.BatchSize} = {o.BatchSize / world} per process, backend {group.Options.Backend}");
        }

        History history;
        try
        {
            history = trainer.Fit(new LoaderBatchSource(trainLoader), valLoader is null ? null : new LoaderBatchSource(valLoader), callbacks, cancellation);
        }
        finally
        {
            early?.Dispose();
        }

        sync?.BroadcastBuffers();
        var skipped = MergeSkipped(full, validation);
        if (primary)
        {
            ModelFile.Save(finalPath, model, descriptor with { Training = Summary(o, trainer, checkpoint, started) });
            if (!File.Exists(bestPath)) File.Copy(finalPath, bestPath);
            if (skipped.Count > 0) skipped.WriteTo(Path.Combine(dir, "skipped.txt"));
        }
        group?.Barrier();
        return new TrainingRunResult(history, bestPath, finalPath, dir, checkpoint.Best, checkpoint.BestEpoch, skipped.Count)
        {
            TrainData = train,
            ValidationData = validation,
        };
    }

    private static TrainingRunResult RunFineTune(TrainingRunOptions o, (int Head, int Unfrozen) ft, Module model, ModelDescriptor descriptor,
        ImageDataset train, ImageDataset? validation, Normalization normalization, Action<string> say, CancellationToken cancellation)
    {
        if (model is not IClassifierModel classifier)
            throw new ArgumentException($"--fine-tune needs a model with a separable head; {o.Model} has none");
        Directory.CreateDirectory(o.OutputDirectory);
        WriteRunJson(o, o.OutputDirectory, descriptor, train.Count, validation?.Count ?? 0, 1);
        var headLr = o.LearningRate ?? 1e-3;
        var result = FineTuneRecipe.Run(classifier, train, validation, new ImagePreprocessor(descriptor.InputHeight, descriptor.InputWidth, o.Resize),
            normalization, descriptor, new FineTuneOptions
            {
                RunDirectory = o.OutputDirectory,
                HeadEpochs = ft.Head,
                FineTuneEpochs = ft.Unfrozen,
                HeadLearningRate = headLr,
                FineTuneLearningRate = o.FineTuneLearningRate,
                LowestLearningRateScale = o.DiscriminativeScale,
                HeadSchedule = o.Schedule,
                Unfreeze = o.Unfreeze is null ? null : FreezeSpec.Parse(o.Unfreeze),
                Augmentation = o.Augment is null ? null : AugmentationSpec.Parse(o.Augment),
                BatchSize = o.BatchSize,
                Seed = o.Seed,
                Device = o.Device,
                CacheImages = true,
                LabelSmoothing = o.LabelSmoothing,
                ClipGradientNorm = o.ClipGradientNorm,
                EmaDecay = o.EmaDecay,
                WeightDecay = o.WeightDecay ?? 0.01,
                OptimizerFactory = (groups, lr) => CreateOptimizer(o with { LearningRate = lr }, groups),
                Monitor = o.Monitor,
                ModelName = o.Model,
                Resume = o.Resume,
                Log = say,
            }, cancellation);
        var history = new History();
        foreach (var e in result.HeadHistory.Epochs.Concat(result.FineTuneHistory.Epochs)) history.Add(e);
        AtomicFile.WriteAllText(Path.Combine(o.OutputDirectory, "history.csv"), history.ToCsv());
        LearningCurvePlot.Save(history, Path.Combine(o.OutputDirectory, "curves.png"));
        var skipped = MergeSkipped(train, validation);
        if (skipped.Count > 0) skipped.WriteTo(Path.Combine(o.OutputDirectory, "skipped.txt"));
        var bestEpoch = 0;
        var series = history.Series(o.Monitor);
        for (var i = 0; i < series.Length; i++)
            if (series[i] == result.BestMetric) { bestEpoch = i + 1; break; }
        return new TrainingRunResult(history, result.BestModelPath ?? result.FinalModelPath, result.FinalModelPath, o.OutputDirectory,
            result.BestMetric, bestEpoch, skipped.Count)
        {
            TrainData = train,
            ValidationData = validation,
        };
    }

    /// <summary>Creates the optimizer named in the options.</summary>
    public static Optimizer CreateOptimizer(TrainingRunOptions o, IEnumerable<ParameterGroup> groups) => o.Optimizer.ToLowerInvariant() switch
    {
        "adam" => new Adam(groups, o.LearningRate ?? 1e-3, weightDecay: o.WeightDecay ?? 0),
        "adamw" => new AdamW(groups, o.LearningRate ?? 1e-3, weightDecay: o.WeightDecay ?? 0.01),
        "sgd" => new Sgd(groups, o.LearningRate ?? 0.01, momentum: o.Momentum, nesterov: o.Momentum > 0, weightDecay: o.WeightDecay ?? 0),
        "rmsprop" => new RmsProp(groups, o.LearningRate ?? 1e-3, momentum: 0, weightDecay: o.WeightDecay ?? 0),
        _ => throw new ArgumentException($"unknown optimizer '{o.Optimizer}'; valid optimizers: adam, adamw, sgd, rmsprop"),
    };

    private static void ReportSkipped(ImageDataset train, ImageDataset? validation, Action<string> say)
    {
        var report = MergeSkipped(train, validation);
        if (report.Count == 0) return;
        say($"Skipped {report.Count} unreadable file(s) (they are listed in skipped.txt in the run folder):");
        say(report.Format());
    }

    private static SkippedFilesReport MergeSkipped(ImageDataset train, ImageDataset? validation)
    {
        if (validation is null || ReferenceEquals(Root(validation).Skipped, Root(train).Skipped)) return Root(train).Skipped;
        var merged = new SkippedFilesReport();
        foreach (var f in Root(train).Skipped.Files.Concat(Root(validation).Skipped.Files)) merged.Add(f.Path, f.Reason, f.Stage);
        return merged;
    }

    private static ImageDataset Root(ImageDataset d) => d is SubsetDataset s ? Root(s.Parent) : d;

    private static IReadOnlyList<(string, RgbImage)> SampleImages(ImageDataset train, ImagePreprocessor preprocessor)
    {
        var samples = new List<(string, RgbImage)>();
        for (var i = 0; i < Math.Min(6, train.Count); i++)
        {
            try
            {
                samples.Add(($"{i}_{train.ClassNames[train.Label(i)]}", preprocessor.Process(train.Load(i))));
            }
            catch (InvalidImageException)
            {
                // Reported by the loader; a sample picture is not worth failing for.
            }
        }
        return samples;
    }

    private static string Fingerprint(TrainingRunOptions o, ModelDescriptor d, int world, ExclusionList? exclusions) => string.Join(" ",
        $"model={o.Model}", $"input={d.InputChannels}x{d.InputHeight}x{d.InputWidth}", $"classes={string.Join(',', d.ClassNames)}",
        $"seed={o.Seed}", $"optimizer={o.Optimizer}", $"lr={o.LearningRate?.ToString(CultureInfo.InvariantCulture) ?? "default"}",
        $"batch={o.BatchSize}", $"schedule={o.Schedule}", $"augment={o.Augment ?? "none"}", $"smoothing={o.LabelSmoothing.ToString(CultureInfo.InvariantCulture)}",
        $"world={world}", $"ema={o.EmaDecay?.ToString(CultureInfo.InvariantCulture) ?? "none"}") +
        (o.FeatureTaps is { Count: > 0 } taps ? " taps=" + string.Join(',', taps) : "") +
        (o.ValidationFold is { } fold ? " fold=" + fold : "") +
        (exclusions is null ? "" : " exclude=" + exclusions.Fingerprint);

    private static Dictionary<string, string> Summary(TrainingRunOptions o, Trainer trainer, ModelCheckpoint checkpoint, DateTime started) => new()
    {
        ["data"] = o.DataPath,
        ["epochs"] = o.Epochs.ToString(CultureInfo.InvariantCulture),
        ["monitor"] = checkpoint.Monitor,
        ["best"] = double.IsNaN(checkpoint.Best) ? "" : checkpoint.Best.ToString("0.######", CultureInfo.InvariantCulture),
        ["best_epoch"] = checkpoint.BestEpoch.ToString(CultureInfo.InvariantCulture),
        ["optimizer"] = o.Optimizer,
        ["augment"] = o.Augment ?? "none",
        ["ema"] = o.EmaDecay?.ToString(CultureInfo.InvariantCulture) ?? "none",
        ["seed"] = o.Seed.ToString(CultureInfo.InvariantCulture),
        ["started_utc"] = started.ToString("O", CultureInfo.InvariantCulture),
        ["sharpvision"] = typeof(TrainingRun).Assembly.GetName().Version?.ToString() ?? "?",
        ["libtorch"] = Torch.Version,
    };

    private static void WriteRunJson(TrainingRunOptions o, string dir, ModelDescriptor d, int trainCount, int valCount, int world)
    {
        var json = JsonSerializer.Serialize(new
        {
            command = o.CommandLine ?? "",
            started_utc = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            sharpvision = typeof(TrainingRun).Assembly.GetName().Version?.ToString(),
            libtorch = Torch.Version,
            dotnet = Environment.Version.ToString(),
            machine = $"{Environment.MachineName}, {Environment.ProcessorCount} cores, {Torch.NumThreads} threads",
            processes = world,
            options = o with { CommandLine = null },
            model = new { d.Architecture, input = $"{d.InputChannels}x{d.InputHeight}x{d.InputWidth}", classes = d.ClassNames },
            train_images = trainCount,
            validation_images = valCount,
        }, new JsonSerializerOptions { WriteIndented = true });
        AtomicFile.WriteAllText(Path.Combine(dir, "run.json"), json);
    }
}
