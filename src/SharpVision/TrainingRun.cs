using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using SharpVision.Augmentation;
using SharpVision.Data;
using SharpVision.Distributed;
using SharpVision.Engine;
using SharpVision.Engine.Distributed;
using SharpVision.Engine.IO;
using SharpVision.Imaging;
using SharpVision.Layers;
using SharpVision.Models;
using SharpVision.Training;
using SharpVision.Training.Callbacks;
using SharpVision.Training.Health;
using SharpVision.Training.LearningRates;
using SharpVision.Training.Optimizers;
using SharpVision.Training.Schedules;
using SharpVision.Transfer.Pretrained;
using SharpVision.Transfer;

namespace SharpVision;

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
        o.LearningRateFinder.Validate();
        if (o.FindLearningRate && o.FineTune is not null)
            throw new ArgumentException("FindLearningRate does not apply to FineTune (two phases, two rates): run the learning-rate finder with Pretrained and FreezeUntil for the head's rate", nameof(o.FindLearningRate));
        if (o.EmaDecay is { } decay && !ExponentialMovingAverage.IsValidDecay(decay))
            throw new ArgumentException($"EmaDecay {decay.ToString(CultureInfo.InvariantCulture)}: the decay must be between 0 and 1 (exclusive), e.g. 0.998", nameof(o.EmaDecay));
        if (o.Threads is { } threads) Torch.NumThreads = threads;
        if (o.Distributed && !DistributedEnvironment.IsPresent)
            throw new InvalidOperationException("Distributed needs torchrun's environment (MASTER_ADDR, MASTER_PORT, WORLD_SIZE, RANK); start the workers with WorkerLauncher (the launch verb)");
        // A group restarted by `launch --max-restarts` (or torchrun) continues from its last checkpoint.
        if (ElasticRestart.IsRestart) o = o with { Resume = true };
        using var group = DistributedEnvironment.IsPresent ? ProcessGroup.FromEnvironment() : null;
        var rank = group?.Rank ?? 0;
        var world = group?.WorldSize ?? 1;
        var peers = group is not null && world > 1 ? PeerDirectory.Gather(group) : null;
        var primary = rank == 0;
        var say = primary ? log : _ => { };
        var parallel = new DataParallel(group, o.GradientCompression, o.SyncBatchNorm);
        _ = parallel.LocalBatch(o.BatchSize); // refuses a global batch that the processes cannot share evenly
        DataParallelOptions.Validate(o.AccumulationSteps, o.GradientCompression, o.BatchSize, world, o.FineTune is not null);

        var (full, train, validation, exclusions) = OpenData(o, say);
        using var model = BuildModel(o, full, say, configureModel, out var descriptor, out var normalization);
        var (height, width) = (descriptor.InputHeight, descriptor.InputWidth);
        if (o.SyncBatchNorm) DescribeSyncBatchNorm(o, model, world, say);

        if (o.FineTune is { } ft)
        {
            try
            {
                return RunFineTune(o, ft, model, descriptor, train, validation, normalization, say, parallel, cancellation);
            }
            catch (DistributedException e) when (peers is not null)
            {
                throw new DistributedException(peers.Explain(e.Message));
            }
        }

        // ---- optimisation ----
        var named = model.NamedParameters().Select(p => new NamedTensor(p.Name, p.Parameter.Value)).ToList();
        using var optimizer = CreateOptimizer(o, new[] { new ParameterGroup(named) });
        var schedule = LearningRateSchedule.Parse(o.Schedule.Spec);
        using var loss = new LossFunction(o.LabelSmoothing, device: o.Device);
        var augmentation = o.Augmentation;
        var pipeline = new StandardInputPipeline(o.Device, normalization, augmentation);

        var preprocessor = new ImagePreprocessor(height, width, o.Resize);
        var trainLoader = CreateTrainLoader(o, train, preprocessor, world);
        if (world > 1) trainLoader = trainLoader.Shard(rank, world, evenShards: true);
        LearningRateFinderResult? found = null;
        if (o.FindLearningRate)
        {
            // With several processes every rank runs the single-process sweep (the global batch over all training
            // images, from the same initial weights), so the suggestion is the one `lr-find` gives with these options and
            // no rank waits idle for another; rank 0's rate is then broadcast, so all ranks train with exactly one rate.
            var sweepLoader = world > 1 ? CreateTrainLoader(o, train, preprocessor, 1) : trainLoader;
            found = RunFinder(o, model, named, loss, pipeline, sweepLoader, say, cancellation, writeFiles: primary);
            optimizer.LearningRate = parallel.BroadcastFromRankZero(found.Suggested);
            say($"Training with --lr {LearningRateFinderResult.Format(optimizer.LearningRate)} (lr-find's suggestion).");
        }
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
        var started = DateTime.UtcNow;
        var runInfo = new RunInfo(o, descriptor, train.Count, validation?.Count ?? 0, world, started) { LearningRateFound = found };
        if (primary)
        {
            Directory.CreateDirectory(dir);
            WriteRunJson(dir, runInfo);
        }
        var monitor = validation is null && o.Monitor.StartsWith("val_", StringComparison.Ordinal) ? o.Monitor[4..] : o.Monitor;
        var checkpoint = new ModelCheckpoint(bestPath, monitor);
        using var tensorBoard = new TensorBoardLogger(dir, samples: SampleImages(train, preprocessor), hparams: HParams(o, descriptor, optimizer.LearningRate));
        using var health = o.Health ? CreateHealthMonitor(o, full.ClassNames.Count, valLoader ?? trainLoader, pipeline, found) : null;
        if (health is not null) health.FindingReported += f => tensorBoard.AddText("health", f.Message, Math.Max(1, f.Step));
        var callbacks = new List<Callback> { new ProgressReporter(o.Progress) };
        if (InjectedExit.FromEnvironment(rank) is { } injected) callbacks.Add(injected);
        if (health is not null) callbacks.Add(health); // before the callbacks that write the history: they see health_warnings
        callbacks.AddRange(new Callback[]
        {
            checkpoint,
            new CsvLogger(Path.Combine(dir, "history.csv")),
            new LearningCurvePlot(Path.Combine(dir, "curves.png")),
            tensorBoard,
        });
        EarlyStopping? early = null;
        if (o.EarlyStoppingPatience is { } patience) callbacks.Add(early = new EarlyStopping(monitor, patience, restoreBestWeights: true));

        var trainer = new Trainer(model, optimizer, loss, new TrainerOptions
        {
            Epochs = o.Epochs,
            Seed = o.Seed,
            Rank = rank,
            Device = o.Device,
            ClipGradientNorm = o.ClipGradientNorm,
            EmaDecay = o.EmaDecay,
            AccumulationSteps = o.AccumulationSteps,
            CheckpointPath = Path.Combine(dir, "last.checkpoint"),
            Resume = o.Resume,
            Fingerprint = Fingerprint(o, descriptor, exclusions),
        }, schedule, pipeline)
        {
            IsPrimary = primary,
            Log = say,
        };
        trainer.ModelSaver = path => ModelFile.Save(path, model, descriptor with { Training = Summary(o, trainer, checkpoint, started) });
        using var sync = parallel.Synchronize(model.Parameters().Select(p => p.Value).ToList(), model.NamedBuffers().Select(b => b.Buffer).ToList());
        if (sync is not null)
        {
            trainer.JoinDataParallel(parallel, sync);
            say($"Distributed: {world} processes, global batch {o.BatchSize} = {o.BatchSize / world} per process" +
                (o.AccumulationSteps > 1 ? $" in {o.AccumulationSteps} micro-batches" : "") +
                $", backend {group!.Options.Backend}, gradient buckets {string.Join(" + ", sync.BucketSizes.Select(b => $"{b / 1024.0 / 1024:0.##} MiB"))}" +
                (o.GradientCompression == GradientCompression.Fp16 ? " sent as fp16" : ""));
        }

        History history;
        try
        {
            history = trainer.Fit(trainLoader, valLoader, callbacks, cancellation);
        }
        catch (DistributedException e) when (peers is not null)
        {
            throw new DistributedException(peers.Explain(e.Message));
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
            if (health is not null) WriteRunJson(dir, runInfo with { Health = health.Findings });
            if (!File.Exists(bestPath)) File.Copy(finalPath, bestPath);
            if (skipped.Count > 0) skipped.WriteTo(Path.Combine(dir, "skipped.txt"));
        }
        group?.Barrier();
        return new TrainingRunResult(history, bestPath, finalPath, dir, checkpoint.Best, checkpoint.BestEpoch, skipped.Count)
        {
            TrainData = train,
            ValidationData = validation,
            IsPrimary = primary,
        };
    }

    /// <summary>
    /// `sharpvision lr-find`: opens the data and builds the model exactly as <see cref="Run"/> would, runs the
    /// <see cref="LearningRateFinder"/> sweep from the initial weights, and writes lr-find.png and lr-find.csv into
    /// <see cref="TrainingRunOptions.OutputDirectory"/>. Nothing is trained.
    /// </summary>
    public static LearningRateFinderResult FindLearningRate(TrainingRunOptions o, Action<string>? log = null, CancellationToken cancellation = default)
    {
        log ??= Console.WriteLine;
        if (o.Threads is { } threads) Torch.NumThreads = threads;
        var (full, train, _, _) = OpenData(o, log);
        using var model = BuildModel(o, full, log, null, out var descriptor, out var normalization);
        var named = model.NamedParameters().Select(p => new NamedTensor(p.Name, p.Parameter.Value)).ToList();
        using var loss = new LossFunction(o.LabelSmoothing, device: o.Device);
        var pipeline = new StandardInputPipeline(o.Device, normalization, o.Augmentation);
        var loader = CreateTrainLoader(o, train, new ImagePreprocessor(descriptor.InputHeight, descriptor.InputWidth, o.Resize), 1);
        return RunFinder(o, model, named, loss, pipeline, loader, log, cancellation);
    }

    private static LearningRateFinderResult RunFinder(TrainingRunOptions o, Module model, IReadOnlyList<NamedTensor> named, LossFunction loss,
        IInputPipeline pipeline, DataLoader loader, Action<string> say, CancellationToken cancellation, bool writeFiles = true)
    {
        var finder = new LearningRateFinder(model, lr => CreateOptimizer(o with { LearningRate = lr }, new[] { new ParameterGroup(named) }), loss, pipeline,
            o.LearningRateFinder) { Seed = o.Seed };
        say($"Learning-rate finder: {finder.Options.Steps} mini-batches of {o.BatchSize}, rate {LearningRateFinderResult.Format(finder.Options.StartLearningRate)} → " +
            $"{LearningRateFinderResult.Format(finder.Options.EndLearningRate)} ({OptimizerName(o)}), from a copy of the initial weights…");
        var result = finder.Run(loader, cancellation);
        if (!writeFiles) return result;
        Directory.CreateDirectory(o.OutputDirectory);
        var png = Path.Combine(o.OutputDirectory, LearningRateFinderPlotFile);
        AtomicFile.WriteAllBytes(png, PngEncoder.Encode(result.Render()));
        AtomicFile.WriteAllText(Path.Combine(o.OutputDirectory, LearningRateFinderResult.CsvFile), result.ToCsv());
        say(result.Describe());
        say($"Loss curve: {png}");
        return result;
    }

    /// <summary>File name of the learning-rate finder's figure in a run folder.</summary>
    public const string LearningRateFinderPlotFile = "lr-find.png";

    private static DataLoader CreateTrainLoader(TrainingRunOptions o, ImageDataset train, ImagePreprocessor preprocessor, int world) =>
        new(train, preprocessor, new DataLoaderOptions
        {
            BatchSize = o.BatchSize / world,
            Shuffle = true,
            Seed = (long)o.Seed,
            BalancedSampling = o.BalancedSampling,
            CacheImages = o.CacheImages,
            DropLast = world > 1,
        });

    private static (ImageDataset Full, ImageDataset Train, ImageDataset? Validation, ExclusionList? Exclusions) OpenData(TrainingRunOptions o, Action<string> say)
    {
        // Everything that can be wrong with the data is reported before training starts.
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

        return (full, train, validation, exclusions);
    }

    private static Module BuildModel(TrainingRunOptions o, ImageDataset full, Action<string> say, Action<Module, ModelDescriptor>? configureModel,
        out ModelDescriptor descriptor, out Normalization normalization)
    {
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
        var model = ModelZoo.Create(o.Model, modelOptions);
        try
        {
            normalization = Normalization.For(o.Normalization ?? (o.Pretrained is null ? NormalizationMode.Unit : NormalizationMode.ImageNet));
            descriptor = new ModelDescriptor
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
        }
        catch
        {
            model.Dispose();
            throw;
        }
        return model;
    }

    private static TrainingRunResult RunFineTune(TrainingRunOptions o, (int Head, int Unfrozen) ft, Module model, ModelDescriptor descriptor,
        ImageDataset train, ImageDataset? validation, Normalization normalization, Action<string> say, DataParallel parallel, CancellationToken cancellation)
    {
        if (model is not IClassifierModel classifier)
            throw new ArgumentException($"FineTune needs a model with a separable head; {o.Model} has none", nameof(o.FineTune));
        var primary = parallel.IsPrimary;
        var runInfo = new RunInfo(o, descriptor, train.Count, validation?.Count ?? 0, parallel.WorldSize, DateTime.UtcNow);
        if (primary)
        {
            Directory.CreateDirectory(o.OutputDirectory);
            WriteRunJson(o.OutputDirectory, runInfo);
        }
        if (parallel.IsActive)
            say($"Distributed: {parallel.WorldSize} processes, global batch {o.BatchSize} = {parallel.LocalBatch(o.BatchSize)} per process, both phases");
        var headLr = o.LearningRate ?? 1e-3;
        // Both phases are watched (loss, NaN, gradients, over-fitting, plateau); the head phase may train on cached
        // features, so there is no image probe for the dead-ReLU check here.
        using var health = o.Health ? new TrainingHealthMonitor(descriptor.ClassNames.Count, probe: null) : null;
        var result = FineTuneRecipe.Run(classifier, train, validation, new ImagePreprocessor(descriptor.InputHeight, descriptor.InputWidth, o.Resize),
            normalization, descriptor, new FineTuneOptions
            {
                RunDirectory = o.OutputDirectory,
                HeadEpochs = ft.Head,
                FineTuneEpochs = ft.Unfrozen,
                HeadLearningRate = headLr,
                FineTuneLearningRate = o.FineTuneLearningRate,
                LowestLearningRateScale = o.DiscriminativeScale,
                HeadSchedule = o.Schedule.Spec,
                FineTuneSchedule = o.FineTuneSchedule,
                BatchNorm = o.BatchNorm,
                HeadPhase = o.HeadPhase,
                AugmentedPasses = o.AugmentedPasses,
                FeatureCacheDirectory = o.FeatureCacheDirectory,
                Unfreeze = o.Unfreeze is null ? null : FreezeSpec.Parse(o.Unfreeze),
                Augmentation = o.Augmentation,
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
                Callbacks = new Callback?[] { health, InjectedExit.FromEnvironment(parallel.Rank) }.OfType<Callback>().ToArray(),
                Parallel = parallel,
            }, cancellation);
        var history = new History();
        foreach (var e in result.HeadHistory.Epochs.Concat(result.FineTuneHistory.Epochs)) history.Add(e);
        var skipped = MergeSkipped(train, validation);
        if (primary)
        {
            if (health is not null) WriteRunJson(o.OutputDirectory, runInfo with { Health = health.Findings });
            AtomicFile.WriteAllText(Path.Combine(o.OutputDirectory, "history.csv"), history.ToCsv());
            LearningCurvePlot.Save(history, Path.Combine(o.OutputDirectory, "curves.png"));
            if (skipped.Count > 0) skipped.WriteTo(Path.Combine(o.OutputDirectory, "skipped.txt"));
        }
        var bestEpoch = 0;
        var series = history.Series(o.Monitor);
        for (var i = 0; i < series.Length; i++)
            if (series[i] == result.BestMetric) { bestEpoch = i + 1; break; }
        return new TrainingRunResult(history, result.BestModelPath ?? result.FinalModelPath, result.FinalModelPath, o.OutputDirectory,
            result.BestMetric, bestEpoch, skipped.Count)
        {
            TrainData = train,
            ValidationData = validation,
            IsPrimary = primary,
        };
    }

    /// <summary>Creates the optimizer named in the options.</summary>
    public static Optimizer CreateOptimizer(TrainingRunOptions o, IEnumerable<ParameterGroup> groups) => o.Optimizer switch
    {
        OptimizerKind.Adam => new Adam(groups, o.LearningRate ?? 1e-3, weightDecay: o.WeightDecay ?? 0),
        OptimizerKind.AdamW => new AdamW(groups, o.LearningRate ?? 1e-3, weightDecay: o.WeightDecay ?? 0.01),
        OptimizerKind.Sgd => new Sgd(groups, o.LearningRate ?? 0.01, momentum: o.Momentum, nesterov: o.Momentum > 0, weightDecay: o.WeightDecay ?? 0),
        OptimizerKind.RmsProp => new RmsProp(groups, o.LearningRate ?? 1e-3, momentum: 0, weightDecay: o.WeightDecay ?? 0),
        _ => throw new ArgumentException($"unknown optimizer '{o.Optimizer}'; valid optimizers: adam, adamw, sgd, rmsprop"),
    };

    /// <summary>The optimizer's command-line name ("adamw"), as run.json and the resume fingerprint record it.</summary>
    public static string OptimizerName(TrainingRunOptions o) => o.Optimizer.ToString().ToLowerInvariant();

    /// <summary>Parses an optimizer's name (adam, adamw, sgd, rmsprop; any case).</summary>
    /// <exception cref="ArgumentException">Unknown name; the message lists the valid ones.</exception>
    public static OptimizerKind ParseOptimizer(string name) =>
        Enum.TryParse<OptimizerKind>(name.Trim(), ignoreCase: true, out var kind) && Enum.IsDefined(kind) && !int.TryParse(name, out _)
            ? kind
            : throw new ArgumentException($"Optimizer must be adam, adamw, sgd or rmsprop, got '{name}'", nameof(TrainingRunOptions.Optimizer));

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
        // Round-robin over the classes (the first images of a folder dataset are all of one class): up to 8 pictures.
        var byClass = Enumerable.Range(0, train.Count).GroupBy(train.Label).OrderBy(g => g.Key).Select(g => g.Take(8).ToList()).ToList();
        var picks = Enumerable.Range(0, 8).SelectMany(round => byClass.Where(c => round < c.Count).Select(c => c[round])).Take(8);
        var samples = new List<(string, RgbImage)>();
        foreach (var i in picks)
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

    private static Dictionary<string, object> HParams(TrainingRunOptions o, ModelDescriptor d, double learningRate) => new()
    {
        ["model"] = o.Model,
        ["input"] = $"{d.InputChannels}x{d.InputHeight}x{d.InputWidth}",
        ["optimizer"] = OptimizerName(o),
        ["lr"] = learningRate,
        ["lr_auto"] = o.FindLearningRate,
        ["batch"] = o.BatchSize,
        ["epochs"] = o.Epochs,
        ["schedule"] = o.Schedule.Spec,
        ["weight_decay"] = o.WeightDecay ?? 0,
        ["label_smoothing"] = o.LabelSmoothing,
        ["augment"] = o.Augmentation?.ToString() ?? "none",
        ["dropout"] = o.Dropout?.ToString(CultureInfo.InvariantCulture) ?? "model default",
        ["ema"] = o.EmaDecay ?? 0,
        ["pretrained"] = o.Pretrained ?? "none",
        ["seed"] = (double)o.Seed,
    };

    // The number of processes is not part of it: a run resumes with any number of workers that divides the global batch.
    private static string Fingerprint(TrainingRunOptions o, ModelDescriptor d, ExclusionList? exclusions) => string.Join(" ",
        $"model={o.Model}", $"input={d.InputChannels}x{d.InputHeight}x{d.InputWidth}", $"classes={string.Join(',', d.ClassNames)}",
        $"seed={o.Seed}", $"optimizer={OptimizerName(o)}", $"lr={(o.FindLearningRate ? "auto" : o.LearningRate?.ToString(CultureInfo.InvariantCulture) ?? "default")}",
        $"batch={o.BatchSize}", $"schedule={o.Schedule.Spec}", $"augment={o.Augmentation?.ToString() ?? "none"}", $"smoothing={o.LabelSmoothing.ToString(CultureInfo.InvariantCulture)}",
        $"ema={o.EmaDecay?.ToString(CultureInfo.InvariantCulture) ?? "none"}") +
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
        ["optimizer"] = OptimizerName(o),
        ["augment"] = o.Augmentation?.ToString() ?? "none",
        ["ema"] = o.EmaDecay?.ToString(CultureInfo.InvariantCulture) ?? "none",
        ["seed"] = o.Seed.ToString(CultureInfo.InvariantCulture),
        ["started_utc"] = started.ToString("O", CultureInfo.InvariantCulture),
        ["sharpvision"] = typeof(TrainingRun).Assembly.GetName().Version?.ToString() ?? "?",
        ["libtorch"] = Torch.Version,
    };

    // The trainer converts the layers (Trainer.JoinDataParallel, which both `train` and the fine-tune phases use).
    private static void DescribeSyncBatchNorm(TrainingRunOptions o, Module model, int world, Action<string> say)
    {
        var layers = SyncBatchNorm.BatchNormLayers(model).Count;
        if (layers == 0) say($"note: SyncBatchNorm: {o.Model} has no BatchNorm layer; nothing to synchronise");
        else if (world > 1) say($"SyncBatchNorm: {layers} BatchNorm layers normalise with the statistics of the global batch of {o.BatchSize}");
    }

    private sealed record RunInfo(TrainingRunOptions Options, ModelDescriptor Descriptor, int TrainCount, int ValidationCount, int World, DateTime Started)
    {
        public LearningRateFinderResult? LearningRateFound { get; init; }
        public IReadOnlyList<HealthFinding>? Health { get; init; }
    }

    private static void WriteRunJson(string dir, RunInfo r)
    {
        var o = r.Options;
        var d = r.Descriptor;
        var json = JsonSerializer.Serialize(new
        {
            command = o.CommandLine ?? "",
            started_utc = r.Started.ToString("O", CultureInfo.InvariantCulture),
            sharpvision = typeof(TrainingRun).Assembly.GetName().Version?.ToString(),
            libtorch = Torch.Version,
            dotnet = Environment.Version.ToString(),
            machine = $"{Environment.MachineName}, {Environment.ProcessorCount} cores, {Torch.NumThreads} threads",
            processes = r.World,
            options = o with { CommandLine = null },
            model = new { d.Architecture, input = $"{d.InputChannels}x{d.InputHeight}x{d.InputWidth}", classes = d.ClassNames },
            train_images = r.TrainCount,
            validation_images = r.ValidationCount,
            learning_rate_finder = r.LearningRateFound is { } f
                ? new { suggested = f.Suggested, rule = LearningRateFinderResult.Rule, steepest = f.Steepest, minimum_over_ten = f.MinimumOverTen, steps = f.LearningRates.Count }
                : null,
            health = r.Health?.Select(h => new { check = h.Check.ToString(), epoch = h.Epoch, step = h.Step, layer = h.Layer, evidence = h.Evidence, advice = h.Advice }),
        }, RunJsonOptions);
        AtomicFile.WriteAllText(Path.Combine(dir, "run.json"), json);
    }

    // Enums as names ("Stretch", not 0); no nulls for what a run did not use.
    private static readonly JsonSerializerOptions RunJsonOptions = new()
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(), new DeviceNameConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private static double? SavedSuggestion(string runDirectory)
    {
        try
        {
            return LearningRateFinderResult.Load(runDirectory)?.Suggested;
        }
        catch (InvalidDataException)
        {
            return null; // an edited file: the advice goes without a number
        }
    }

    private sealed class DeviceNameConverter : JsonConverter<Device>
    {
        public override Device Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => Device.Parse(reader.GetString() ?? "cpu");
        public override void Write(Utf8JsonWriter writer, Device value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
    }

    private static TrainingHealthMonitor CreateHealthMonitor(TrainingRunOptions o, int numClasses, DataLoader probeSource, IInputPipeline pipeline,
        LearningRateFinderResult? found)
    {
        // The probe: the first (unshuffled validation) batch, at most 64 images, prepared as for evaluation.
        Tensor? probe = null;
        using (var rng = new Generator(o.Seed))
            foreach (var b in probeSource.GetBatches(0))
            {
                using (b)
                using (var scope = Torch.NewDisposeScope())
                {
                    var images = b.Inputs.Size(0) > 64 ? b.Inputs.Narrow(0, 0, 64) : b.Inputs;
                    probe = pipeline.Prepare(images, training: false, rng).DetachFromDisposeScope();
                }
                break;
            }
        var suggestion = found?.Suggested ?? SavedSuggestion(o.OutputDirectory);
        return new TrainingHealthMonitor(numClasses, probe, new TrainingHealthOptions { SuggestedLearningRate = suggestion });
    }
}
