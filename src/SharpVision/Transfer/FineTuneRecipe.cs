using System.Diagnostics;
using System.Globalization;
using SharpVision.Augmentation;
using SharpVision.Data;
using SharpVision.Distributed;
using SharpVision.Layers;
using SharpVision.Models;
using SharpVision.Training;
using SharpVision.Training.Callbacks;
using SharpVision.Training.Optimizers;
using SharpVision.Training.Schedules;
using SharpVision.Transfer.Features;
using SharpVision.Transfer.Pretrained;

namespace SharpVision.Transfer;

/// <summary>
/// fastai's <c>fine_tune</c> as one call. Phase 1 trains only the head with the backbone frozen (from a
/// <see cref="FeatureCache"/> when no augmentation is asked for, else end-to-end through the frozen backbone); phase 2
/// unfreezes the top blocks (<see cref="FineTuneOptions.Unfreeze"/>) and trains them with the head at a lower learning
/// rate (optionally discriminative per block). The best model on validation over both phases is kept
/// (best.safetensors, a complete model file) and the last state is written to final.safetensors. Each phase has its own
/// resume checkpoint; a resumed run skips a finished phase.
/// </summary>
public static class FineTuneRecipe
{
    /// <summary>Phase 1 resume checkpoint (in the run directory).</summary>
    public const string HeadCheckpointName = "head.checkpoint";

    /// <summary>Phase 2 resume checkpoint.</summary>
    public const string FineTuneCheckpointName = "finetune.checkpoint";

    /// <summary>Best model over both phases.</summary>
    public const string BestModelName = "best.safetensors";

    /// <summary>Model after the last epoch.</summary>
    public const string FinalModelName = "final.safetensors";

    /// <summary>Per-epoch metrics of phase 1.</summary>
    public const string HeadLogName = "head.csv";

    /// <summary>Per-epoch metrics of phase 2.</summary>
    public const string FineTuneLogName = "finetune.csv";

    /// <summary>
    /// The blocks phase 2 unfreezes by default: MobileNetV2 features.13+ (the last six blocks and the 1×1 conv),
    /// ResNet layer4, Inception v3 Mixed_7a–7c, VGG the last convolution block; any other model its whole backbone.
    /// </summary>
    public static FreezeSpec DefaultUnfreeze(IClassifierModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        switch (model)
        {
            case MobileNetV2:
                return FreezeSpec.Parse("features.13+");
            case ResNet:
                return FreezeSpec.Parse("layer4");
            case InceptionV3:
                return FreezeSpec.Parse("Mixed_7a,Mixed_7b,Mixed_7c");
            case Vgg vgg when vgg["features"] is Sequential features:
            {
                var pools = features.Layers.Select((l, i) => (l, i)).Where(x => x.l is MaxPool2d).Select(x => x.i).ToList();
                return pools.Count >= 2 ? FreezeSpec.Parse($"features.{pools[^2] + 1}+") : FreezeSpec.Parse("backbone");
            }
            default:
                return FreezeSpec.Parse("backbone");
        }
    }

    /// <summary>Runs both phases. The model must already hold the pretrained backbone and a head for the dataset's classes.</summary>
    /// <param name="model">The model (e.g. ModelZoo.Create("mobilenet_v2", NumClasses = 5) after <see cref="PretrainedWeights.Load"/>).</param>
    /// <param name="train">Training images.</param>
    /// <param name="validation">Validation images (null: no best-model selection, only final.safetensors).</param>
    /// <param name="preprocessor">Resizing to the network's input (e.g. 160×160 for 64 px photos: upsampling is just the target size).</param>
    /// <param name="normalization">Pixel normalisation the backbone was trained with (ImageNet for torchvision weights).</param>
    /// <param name="descriptor">Written into the model files (architecture, options, classes, input, normalisation).</param>
    /// <param name="options">Epochs, rates, what to unfreeze, augmentation, run directory, resume.</param>
    /// <param name="cancellation">Stops training after the current batch; the phase checkpoint of the last finished epoch is kept for a resume.</param>
    /// <exception cref="ArgumentException">Inconsistent options (named).</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public static FineTuneResult Run(IClassifierModel model, ImageDataset train, ImageDataset? validation, ImagePreprocessor preprocessor,
        Normalization normalization, ModelDescriptor descriptor, FineTuneOptions options, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(preprocessor);
        ArgumentNullException.ThrowIfNull(normalization);
        ArgumentNullException.ThrowIfNull(descriptor);
        ArgumentNullException.ThrowIfNull(options);
        Validate(model, train, options);
        var log = options.Log ?? Console.WriteLine;
        var parallel = options.Parallel;
        if (parallel.IsPrimary) Directory.CreateDirectory(options.RunDirectory);
        var localBatch = parallel.LocalBatch(options.BatchSize);
        // Rank 0's weights everywhere before anything is computed from them (the feature cache is keyed on the backbone's).
        parallel.Synchronize(model.Model.Parameters().Select(p => p.Value).ToList(), model.Model.NamedBuffers().Select(b => b.Buffer).ToList());
        var augmentation = options.Augmentation is { IsIdentity: false } a ? a : null;
        var headMode = options.HeadPhase != HeadPhaseMode.Auto ? options.HeadPhase : augmentation is null ? HeadPhaseMode.Cached : HeadPhaseMode.EndToEnd;
        var best = validation is null ? null : new ModelCheckpoint(Path.Combine(options.RunDirectory, BestModelName), options.Monitor);
        var bestPhase = (string?)null;
        var phase = "head";
        void Save(string path)
        {
            if (parallel.IsPrimary) ModelFile.Save(path, model.Model, Describe(descriptor, options, phase, best));
        }

        using var loss = new LossFunction(options.LabelSmoothing, device: options.Device);
        // One loader per side for both phases: with CacheImages the resized images are decoded once for the whole run
        // (a second cache of 192-px images would hold another 110 KB per image for the rest of the run).
        DataLoader? trainSource = null, validationSource = null;
        // Distributed: each rank loads its shard of every global batch (DataLoader.Shard), as `train` does.
        DataLoader TrainSource() => trainSource ??= Source(train, preprocessor, options, localBatch, shuffle: true);
        DataLoader? ValidationSource() =>
            validation is null ? null : validationSource ??= Source(validation, preprocessor, options, options.InferenceBatchSize, shuffle: false);
        GradientSynchronizer? synchronizer = null;
        // The synchroniser holds gradient hooks and a native reducer: freed when the recipe ends, however it ends.
        using var release = new SynchronizerRelease(() => synchronizer?.Dispose());
        Trainer Wire(Trainer trainer, Module trained)
        {
            // One synchroniser per trained module (the frozen set changes between phases); the previous one is freed.
            synchronizer?.Dispose();
            synchronizer = parallel.Synchronize(trained.Parameters().Select(p => p.Value).ToList(), trained.NamedBuffers().Select(b => b.Buffer).ToList());
            if (synchronizer is { } sync) trainer.JoinDataParallel(parallel, sync);
            return trainer;
        }

        // ---- phase 1: the head alone ----
        var sw = Stopwatch.StartNew();
        var headHistory = new History();
        var headSkipped = false;
        var extraction = TimeSpan.Zero;
        if (options.HeadEpochs > 0)
        {
            var ckpt = Path.Combine(options.RunDirectory, HeadCheckpointName);
            if (options.Resume && FinishedPhase(ckpt, options.HeadEpochs, log) is { } done)
            {
                using (done)
                {
                    model.Model.LoadStateDict(done.Model, strict: false);
                    LoadFinishedAverage(model.Model, done);
                    RestoreCallbackState(best, done);
                    headHistory = History.FromJson(done.State.HistoryJson);
                }
                headSkipped = true;
                log($"phase 1 (head) already finished in {ckpt}; skipping it");
            }
            else
            {
                model.FreezeBackbone();
                var trainerOptions = PhaseOptions(options, "head", headMode, options.HeadEpochs, options.HeadLearningRate, ckpt, augmentation);
                var schedule = LearningRateSchedule.Parse(options.HeadSchedule);
                var callbacks = PhaseCallbacks(best, Path.Combine(options.RunDirectory, HeadLogName), options, extra: null);
                log($"phase 1: training the head ({options.HeadEpochs} epochs, lr {F(options.HeadLearningRate)}, {(headMode == HeadPhaseMode.Cached ? "cached features" : "end-to-end through the frozen backbone")})");
                if (headMode == HeadPhaseMode.Cached)
                {
                    var cacheDir = options.FeatureCacheDirectory ?? options.RunDirectory;
                    var passes = augmentation is null ? 0 : options.AugmentedPasses;
                    if (augmentation is not null && passes == 0) log("note: cached head training without augmented passes ignores the augmentation in phase 1");
                    var (trainCache, valCache, extractionTime) = BuildCaches(model, train, validation, preprocessor, normalization, options, cacheDir, passes, augmentation, log);
                    using var trainCacheOwner = trainCache;
                    using var valCacheOwner = valCache;
                    extraction = extractionTime;
                    using var view = new ClassifierHeadView(model);
                    using var optimizer = CreateOptimizer(options, new[] { Group("head", view.NamedParameters(), 1.0) }, options.HeadLearningRate);
                    var trainer = Wire(new Trainer(view, optimizer, loss, trainerOptions, schedule) { ModelSaver = Save, Log = log }, view);
                    headHistory = trainer.Fit(Shard(new FeatureBatchSource(trainCache, options.BatchSize, shuffle: true, seed: (long)options.Seed, dropLast: parallel.IsActive), parallel),
                        valCache is null ? null : Shard(new FeatureBatchSource(valCache, options.InferenceBatchSize, shuffle: false), parallel), callbacks, cancellation);
                }
                else
                {
                    using var optimizer = CreateOptimizer(options, new[] { Group("head", model.HeadParameters(), 1.0) }, options.HeadLearningRate);
                    var trainer = Wire(new Trainer(model.Model, optimizer, loss, trainerOptions, schedule, new StandardInputPipeline(options.Device, normalization, augmentation))
                    { ModelSaver = Save, Log = log }, model.Model);
                    headHistory = trainer.Fit(TrainSource(), ValidationSource(), callbacks, cancellation);
                }
                if (best is not null && best.BestEpoch > 0) bestPhase = "head";
            }
        }
        var headTime = sw.Elapsed;
        if (headSkipped && best is not null && !double.IsNaN(best.Best)) bestPhase = "head";

        // ---- phase 2: the top blocks with the head ----
        sw.Restart();
        phase = "fine-tune";
        var fineHistory = new History();
        var fineSkipped = false;
        var unfrozen = new List<string>();
        var groupsReport = new List<(string, double, long)>();
        if (options.FineTuneEpochs > 0)
        {
            var ckpt = Path.Combine(options.RunDirectory, FineTuneCheckpointName);
            var spec = options.Unfreeze ?? DefaultUnfreeze(model);
            var before = best?.Best ?? double.NaN;
            if (options.Resume && FinishedPhase(ckpt, options.FineTuneEpochs, log) is { } done)
            {
                using (done)
                {
                    model.Model.LoadStateDict(done.Model, strict: true);
                    LoadFinishedAverage(model.Model, done);
                    RestoreCallbackState(best, done);
                    fineHistory = History.FromJson(done.State.HistoryJson);
                }
                fineSkipped = true;
                unfrozen.AddRange(spec.Select(model.Model).Select(s => s.Path));
                log($"phase 2 (fine-tune) already finished in {ckpt}; skipping it");
            }
            else
            {
                var lr = options.FineTuneLearningRate ?? options.HeadLearningRate / 10;
                model.FreezeBackbone();
                var selected = spec.Select(model.Model);
                foreach (var (_, m) in selected) m.Unfreeze();
                unfrozen.AddRange(selected.Select(s => s.Path));
                var batchNorms = selected.SelectMany(s => s.Module.NamedModules()).Select(m => m.Module).OfType<BatchNorm>().Distinct().ToList();
                Callback? bnCallback = null;
                switch (options.BatchNorm)
                {
                    case BatchNormMode.Frozen:
                        foreach (var bn in batchNorms) bn.Freeze();
                        break;
                    case BatchNormMode.RunningStatistics:
                        bnCallback = new RunningStatisticsCallback(batchNorms);
                        break;
                }
                var groups = FineTuneGroups(model, selected, options.LowestLearningRateScale);
                groupsReport.AddRange(groups.Select(g => (g.Name, g.LearningRateScale, g.Parameters.Sum(p => p.Tensor.NumberOfElements))));
                log($"phase 2: fine-tuning {string.Join(", ", unfrozen.Select(u => u.Length == 0 ? "<all>" : u))} with the head ({options.FineTuneEpochs} epochs, lr {F(lr)}, " +
                    $"{groupsReport.Sum(g => g.Item3):N0} trainable parameters, BatchNorm {options.BatchNorm})");
                foreach (var (name, scale, count) in groupsReport) log($"  group {name}: lr × {F(scale)} ({count:N0} parameters)");
                var trainerOptions = PhaseOptions(options, "fine-tune:" + spec.Text + ":" + options.BatchNorm, HeadPhaseMode.EndToEnd, options.FineTuneEpochs, lr, ckpt, augmentation);
                using var optimizer = CreateOptimizer(options, groups, lr);
                var trainer = Wire(new Trainer(model.Model, optimizer, loss, trainerOptions, LearningRateSchedule.Parse(options.FineTuneSchedule),
                    new StandardInputPipeline(options.Device, normalization, augmentation)) { ModelSaver = Save, Log = log }, model.Model);
                fineHistory = trainer.Fit(TrainSource(), ValidationSource(),
                    PhaseCallbacks(best, Path.Combine(options.RunDirectory, FineTuneLogName), options, bnCallback), cancellation);
            }
            if (best is not null && !double.IsNaN(best.Best) && (double.IsNaN(before) || best.Best != before)) bestPhase = "fine-tune";
        }
        var fineTime = sw.Elapsed;
        synchronizer?.BroadcastBuffers(); // the final model holds rank 0's BatchNorm statistics

        var final = Path.Combine(options.RunDirectory, FinalModelName);
        phase = options.FineTuneEpochs > 0 ? "fine-tune" : "head";
        Save(final);
        parallel.Barrier(); // rank 0 hosts the store: nobody leaves before its files are written
        log($"saved {final}" + (best is not null ? string.Create(CultureInfo.InvariantCulture, $"; best {best.Monitor} {best.Best:0.0000} ({bestPhase}) in {best.Path}") : ""));
        return new FineTuneResult
        {
            HeadHistory = headHistory,
            FineTuneHistory = fineHistory,
            HeadMode = headMode,
            HeadPhaseSkipped = headSkipped,
            FineTunePhaseSkipped = fineSkipped,
            Unfrozen = unfrozen,
            FineTuneGroups = groupsReport,
            BestMetric = best?.Best ?? double.NaN,
            BestPhase = bestPhase,
            BestModelPath = best is not null && File.Exists(best.Path) ? best.Path : null,
            FinalModelPath = final,
            FeatureExtractionTime = extraction,
            HeadPhaseTime = headTime,
            FineTunePhaseTime = fineTime,
        };
    }

    /// <summary>
    /// Phase 2 parameter groups: without <paramref name="lowestScale"/>, one group of every trainable parameter; with it,
    /// one group per unfrozen module in model order with scales rising geometrically from <paramref name="lowestScale"/>
    /// to 1, and the head at 1. A single unfrozen container (e.g. MobileNetV2's features for "backbone") is split into
    /// its children first.
    /// </summary>
    public static IReadOnlyList<ParameterGroup> FineTuneGroups(IClassifierModel model, IReadOnlyList<(string Path, Module Module)> unfrozen, double? lowestScale)
    {
        ArgumentNullException.ThrowIfNull(model);
        var trainable = model.Model.NamedParameters().Where(p => p.Parameter.RequiresGrad).ToList();
        if (lowestScale is null) return new[] { Group("all", trainable, 1.0) };
        if (!(lowestScale > 0 && lowestScale <= 1)) throw new ArgumentOutOfRangeException(nameof(lowestScale), lowestScale, "the lowest learning-rate scale must be in (0, 1]");
        var heads = model.HeadPaths;
        bool IsHead(string n) => heads.Any(h => n.StartsWith(h + ".", StringComparison.Ordinal));
        var blocks = unfrozen.Where(u => u.Path.Length > 0).Select(u => u.Path).ToList();
        // One container selected on its own (MobileNetV2 "backbone" = features) is split into its children, so that
        // the rates rise block by block as they would for features.0+, instead of one group for the whole backbone.
        var withParameters = unfrozen.Where(u => u.Path.Length > 0 && u.Module.NamedParameters().Any(p => p.Parameter.RequiresGrad)).ToList();
        if (withParameters.Count == 1)
        {
            var (path, container) = withParameters[0];
            var children = container.NamedChildren().Where(c => c.Module.NamedParameters().Any(p => p.Parameter.RequiresGrad)).ToList();
            if (children.Count >= 2) blocks = children.Select(c => path + "." + c.Name).ToList();
        }
        var buckets = blocks.ToDictionary(b => b, _ => new List<(string, Parameter)>(), StringComparer.Ordinal);
        var head = new List<(string, Parameter)>();
        foreach (var p in trainable)
        {
            if (IsHead(p.Name)) { head.Add(p); continue; }
            var owner = blocks.Where(b => p.Name.StartsWith(b + ".", StringComparison.Ordinal)).OrderByDescending(b => b.Length).FirstOrDefault();
            if (owner is null) head.Add(p); // e.g. "all": everything outside named blocks trains at the full rate
            else buckets[owner].Add(p);
        }
        var ordered = blocks.Where(b => buckets[b].Count > 0)
            .OrderBy(b => trainable.FindIndex(t => t.Name.StartsWith(b + ".", StringComparison.Ordinal))).ToList();
        var groups = new List<ParameterGroup>();
        for (var i = 0; i < ordered.Count; i++)
        {
            // Geometric from lowestScale (first block) towards 1 (the head, one step past the last block).
            var scale = Math.Pow(lowestScale.Value, (double)(ordered.Count - i) / ordered.Count);
            groups.Add(Group(ordered[i], buckets[ordered[i]], scale));
        }
        if (head.Count > 0) groups.Add(Group("head", head, 1.0));
        return groups;
    }

    private static void Validate(IClassifierModel model, ImageDataset train, FineTuneOptions o)
    {
        if (o.HeadEpochs < 0) throw new ArgumentOutOfRangeException(nameof(o), o.HeadEpochs, "HeadEpochs must be ≥ 0");
        if (o.FineTuneEpochs < 0) throw new ArgumentOutOfRangeException(nameof(o), o.FineTuneEpochs, "FineTuneEpochs must be ≥ 0");
        if (o.HeadEpochs == 0 && o.FineTuneEpochs == 0) throw new ArgumentException("both phases have 0 epochs: nothing to train", nameof(o));
        if (!(o.HeadLearningRate > 0)) throw new ArgumentOutOfRangeException(nameof(o), o.HeadLearningRate, "HeadLearningRate must be positive");
        if (o.FineTuneLearningRate is { } lr && !(lr > 0)) throw new ArgumentOutOfRangeException(nameof(o), lr, "FineTuneLearningRate must be positive");
        if (o.BatchSize < 1 || o.InferenceBatchSize < 1) throw new ArgumentOutOfRangeException(nameof(o), o.BatchSize, "batch sizes must be at least 1");
        if (o.AugmentedPasses < 0) throw new ArgumentOutOfRangeException(nameof(o), o.AugmentedPasses, "AugmentedPasses must be ≥ 0");
        if (string.IsNullOrWhiteSpace(o.RunDirectory)) throw new ArgumentException("RunDirectory is required", nameof(o));
        if (model.NumClasses != train.ClassNames.Count && !(model.NumClasses == 1 && train.ClassNames.Count == 2))
            throw new ArgumentException($"the model's head has {model.NumClasses} outputs but the dataset has {train.ClassNames.Count} classes; create the model with NumClasses = {train.ClassNames.Count}", nameof(model));
    }

    private static TrainingCheckpoint.Loaded? FinishedPhase(string path, int epochs, Action<string> log)
    {
        var loaded = TrainingCheckpoint.LoadLatest(path, out var warning);
        if (warning is not null) log("warning: " + warning);
        if (loaded is null) return null;
        if (loaded.State.EpochsCompleted >= epochs || loaded.State.StopReason is not null) return loaded;
        loaded.Dispose();
        return null;
    }

    // A finished phase ended with its averaged weights in the model; the checkpoint holds the raw ones plus the average.
    private static void LoadFinishedAverage(Module model, TrainingCheckpoint.Loaded done)
    {
        var average = ExponentialMovingAverage.FromCheckpoint(done);
        if (average.Count > 0) model.LoadStateDict(average, strict: false);
    }

    private static void RestoreCallbackState(ModelCheckpoint? best, TrainingCheckpoint.Loaded loaded)
    {
        if (best is not null && loaded.State.Callbacks.TryGetValue(best.StateKey, out var state)) best.SetState(state);
    }

    private static TrainerOptions PhaseOptions(FineTuneOptions o, string phase, HeadPhaseMode mode, int epochs, double lr, string checkpoint, AugmentationSpec? augmentation) => new()
    {
        Epochs = epochs,
        Seed = o.Seed,
        Device = o.Device,
        ClipGradientNorm = o.ClipGradientNorm,
        EmaDecay = o.EmaDecay,
        CheckpointPath = checkpoint,
        Resume = o.Resume,
        Rank = o.Parallel.Rank,
        // Epoch counts are left out so that a resumed run may extend a phase.
        Fingerprint = string.Create(CultureInfo.InvariantCulture,
            $"{phase}|{mode}|lr={lr:R}|bs={o.BatchSize}|seed={o.Seed}|aug={augmentation?.ToString() ?? "none"}|passes={o.AugmentedPasses}|ls={o.LabelSmoothing:R}|ema={(o.EmaDecay is { } d ? d.ToString("R", CultureInfo.InvariantCulture) : "none")}"),
    };

    private static List<Callback> PhaseCallbacks(ModelCheckpoint? best, string csv, FineTuneOptions o, Callback? extra)
    {
        var list = new List<Callback>();
        if (best is not null) list.Add(best);
        list.Add(new CsvLogger(csv));
        if (extra is not null) list.Add(extra);
        list.AddRange(o.Callbacks);
        return list;
    }

    /// <summary>
    /// The head phase's feature caches. When the training and validation images are parts of one dataset (a split or
    /// a cross-validation fold of a folder), one cache of that whole dataset (features-all.safetensors) serves both, so
    /// every split and fold of the same folder reuses one backbone pass; otherwise each side has its own file.
    /// </summary>
    private static (FeatureCache Train, FeatureCache? Validation, TimeSpan Extraction) BuildCaches(IClassifierModel model, ImageDataset train, ImageDataset? validation,
        ImagePreprocessor preprocessor, Normalization normalization, FineTuneOptions options, string cacheDir, int passes, AugmentationSpec? augmentation,
        Action<string> log)
    {
        // Distributed: rank 0 extracts and writes the files (atomically); the others wait, then load them. A rank that
        // does not see the files (no shared storage) extracts in memory and writes nothing.
        var parallel = options.Parallel;
        if (!parallel.IsActive) return BuildCaches(model, train, validation, preprocessor, normalization, options, cacheDir, passes, augmentation, log, readOnly: false);
        if (parallel.IsPrimary)
        {
            var built = BuildCaches(model, train, validation, preprocessor, normalization, options, cacheDir, passes, augmentation, log, readOnly: false);
            parallel.Barrier();
            return built;
        }
        parallel.Barrier();
        return BuildCaches(model, train, validation, preprocessor, normalization, options, cacheDir, passes, augmentation, log, readOnly: true);
    }

    private static (FeatureCache Train, FeatureCache? Validation, TimeSpan Extraction) BuildCaches(IClassifierModel model, ImageDataset train, ImageDataset? validation,
        ImagePreprocessor preprocessor, Normalization normalization, FineTuneOptions options, string cacheDir, int passes, AugmentationSpec? augmentation,
        Action<string> log, bool readOnly)
    {
        FeatureCacheOptions CacheOptions(string path, int passes, AugmentationSpec? augmentation) =>
            FineTuneRecipe.CacheOptions(options, readOnly && !File.Exists(path) ? null : path, passes, augmentation, log);
        var (root, trainIndices) = SubsetDataset.Flatten(train);
        if (validation is not null && !ReferenceEquals(root, train) && SubsetDataset.Flatten(validation) is var (valRoot, valIndices) && ReferenceEquals(root, valRoot))
        {
            using var all = FeatureCache.Build(model, root, preprocessor, normalization, CacheOptions(Path.Combine(cacheDir, "features-all.safetensors"), passes, augmentation));
            log($"one feature cache of all {root.Count} images serves the training ({train.Count}) and validation ({validation.Count}) images");
            var trainPart = all.Select(trainIndices);
            try
            {
                return (trainPart, all.Select(valIndices, withAugmentedPasses: false), all.ExtractionTime);
            }
            catch
            {
                trainPart.Dispose();
                throw;
            }
        }
        var trainCache = FeatureCache.Build(model, train, preprocessor, normalization, CacheOptions(Path.Combine(cacheDir, "features-train.safetensors"), passes, augmentation));
        try
        {
            var valCache = validation is null ? null
                : FeatureCache.Build(model, validation, preprocessor, normalization, CacheOptions(Path.Combine(cacheDir, "features-val.safetensors"), 0, null));
            return (trainCache, valCache, trainCache.ExtractionTime + (valCache?.ExtractionTime ?? TimeSpan.Zero));
        }
        catch
        {
            trainCache.Dispose();
            throw;
        }
    }

    private static FeatureCacheOptions CacheOptions(FineTuneOptions o, string? path, int passes, AugmentationSpec? augmentation, Action<string> log) => new()
    {
        CachePath = path,
        ModelName = o.ModelName,
        AugmentedPasses = passes,
        Augmentation = passes > 0 ? augmentation : null,
        Seed = o.Seed,
        BatchSize = o.InferenceBatchSize,
        Workers = o.Workers,
        Device = o.Device,
        Log = log,
    };

    private static DataLoader Source(ImageDataset data, ImagePreprocessor preprocessor, FineTuneOptions o, int batchSize, bool shuffle)
    {
        var loader = new DataLoader(data, preprocessor, new DataLoaderOptions
        {
            BatchSize = batchSize,
            Shuffle = shuffle,
            Seed = (long)o.Seed,
            Workers = o.Workers,
            CacheImages = o.CacheImages,
            DropLast = shuffle && o.Parallel.IsActive, // training: every rank runs the same number of equal steps
        });
        // Training shards are even (the same number of steps on every rank); validation shards cover every image once.
        return o.Parallel.IsActive ? loader.Shard(o.Parallel.Rank, o.Parallel.WorldSize, evenShards: shuffle) : loader;
    }

    private static IBatchSource Shard(IBatchSource source, DataParallel parallel) =>
        parallel.IsActive ? new ShardedBatchSource(source, parallel.Rank, parallel.WorldSize) : source;

    private static Optimizer CreateOptimizer(FineTuneOptions o, IReadOnlyList<ParameterGroup> groups, double lr) =>
        o.OptimizerFactory is { } f ? f(groups, lr) : new AdamW(groups, lr, weightDecay: o.WeightDecay);

    private static ParameterGroup Group(string name, IEnumerable<(string Name, Parameter Parameter)> parameters, double scale) =>
        new(parameters.Where(p => p.Parameter.RequiresGrad).Select(p => new NamedTensor(p.Name, p.Parameter.Value)).ToList(), scale, name: name);

    private static ModelDescriptor Describe(ModelDescriptor d, FineTuneOptions o, string phase, ModelCheckpoint? best)
    {
        var training = new Dictionary<string, string>(d.Training)
        {
            ["fine_tune"] = string.Create(CultureInfo.InvariantCulture, $"{o.HeadEpochs}:{o.FineTuneEpochs}"),
            ["fine_tune_phase"] = phase,
            ["unfrozen"] = (o.Unfreeze?.Text ?? "default"),
            ["batch_norm"] = o.BatchNorm.ToString(),
        };
        if (o.Augmentation is { IsIdentity: false } a) training["augmentation"] = a.ToString();
        if (o.EmaDecay is { } decay) training["ema"] = F(decay);
        return d with { Training = training };
    }

    private static string F(double v) => v.ToString("0.######", CultureInfo.InvariantCulture);

    /// <summary>Runs an action on dispose (the recipe's synchroniser, which phases replace).</summary>
    private sealed class SynchronizerRelease(Action release) : IDisposable
    {
        public void Dispose() => release();
    }
}
