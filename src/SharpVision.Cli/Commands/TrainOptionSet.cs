using System.CommandLine;
using System.Globalization;
using SharpVision.Augmentation;
using SharpVision.Data;
using SharpVision.Distributed;
using SharpVision.Engine;
using SharpVision.Models;
using SharpVision.Training;
using SharpVision.Training.Schedules;
using SharpVision.Transfer;

namespace SharpVision.Cli.Commands;

/// <summary>
/// The options of <c>sharpvision train</c>, shared with <c>lr-find</c> (which takes the same command line, so a user can
/// swap the verb): declared once, checked before any data is opened, bound to <see cref="TrainingRunOptions"/>.
/// </summary>
internal sealed class TrainOptionSet
{
    private readonly Option<string> data = new("--data") { Description = "Training data: a folder with one subfolder per class, a Food-101 root, or an IDX/CIFAR folder", Required = true };
    private readonly Option<string?> val = new("--val") { Description = "Separate validation data (same layout); default: hold out --val-split of --data" };
    private readonly Option<double> valSplit = new("--val-split") { Description = "Fraction of --data held out for validation (stratified, seeded); 0 = no validation", DefaultValueFactory = _ => 0.1 };
    private readonly Option<string?> valFold = new("--val-fold") { Description = "Hold out fold K of N instead (stratified K-fold seeded by --seed, K from 0; 0/10 is --val-split 0.1): run every K to cross-validate" };
    private readonly Option<string> format = new("--format") { Description = $"Dataset layout: {DatasetOpener.FormatNames}", DefaultValueFactory = _ => "auto" };
    private readonly Option<string?> classes = new("--classes") { Description = "Only these classes, comma-separated (e.g. cheesecake,donuts,ice_cream,macarons,pancakes)" };
    private readonly Option<string> model = new("--model") { Description = $"Model: {string.Join(", ", ModelZoo.Names)}", Required = true };
    private readonly Option<string?> input = new("--input") { Description = "Input size: 128 or HEIGHTxWIDTH (default: the model's)" };
    private readonly Option<string> resize = new("--resize") { Description = "stretch | centercrop | letterbox", DefaultValueFactory = _ => "stretch" };
    private readonly Option<string?> normalize = new("--normalize") { Description = "unit ([0,1]) | minusone ([-1,1]) | imagenet (mean/std); default unit, imagenet with --pretrained" };
    private readonly Option<int> epochs = new("--epochs") { Description = "Epochs", DefaultValueFactory = _ => 10 };
    private readonly Option<int> batch = new("--batch") { Description = "Batch size (global, across processes)", DefaultValueFactory = _ => 32 };
    private readonly Option<string> optimizer = new("--optimizer") { Description = "adam | adamw | sgd | rmsprop", DefaultValueFactory = _ => "adam" };
    private readonly Option<string?> lr = new("--lr") { Description = "Learning rate, or auto (run the learning-rate finder first and use its suggestion); default: adam/adamw/rmsprop 1e-3, sgd 1e-2" };
    private readonly Option<double?> wd = new("--weight-decay") { Description = "Weight decay (default 0; AdamW 0.01)" };
    private readonly Option<double> momentum = new("--momentum") { Description = "Momentum for sgd (Nesterov)", DefaultValueFactory = _ => 0.9 };
    private readonly Option<string> schedule = new("--schedule") { Description = $"Learning-rate schedule: {LearningRateSchedule.ValidSpecs}", DefaultValueFactory = _ => "constant" };
    private readonly Option<double> smoothing = new("--label-smoothing") { Description = "Label smoothing factor", DefaultValueFactory = _ => 0 };
    private readonly Option<string?> augment = new("--augment") { Description = $"Augmentation spec, e.g. \"flip=h,rotate=30,shift=0.1,zoom=0.1,brightness=0.75:1.25\", or a preset: {string.Join(", ", AugmentationSpec.PresetNames)}" };
    private readonly Option<double?> dropout = new("--dropout") { Description = "Override the model's dropout rate" };
    private readonly Option<string?> exclude = new("--exclude") { Description = "A file listing training images to leave out, one path per line (e.g. exclude.txt of `sharpvision audit`); validation images are never excluded" };
    private readonly Option<string?> taps = new("--feature-taps") { Description = "Multi-scale features: also pool these blocks' outputs into the head's input (mobilenet_v2: features.13,features.16; resnet: layer2,layer3)" };
    private readonly Option<double?> clip = new("--clip-grad") { Description = "Clip the global gradient norm" };
    private readonly Option<double?> ema = new("--ema") { Description = "Keep an exponential moving average of the weights with this decay (e.g. 0.998); validation, best and final models use it" };
    private readonly Option<ulong> seed = new("--seed") { Description = "Seed of data order, augmentation, dropout and initialisation", DefaultValueFactory = _ => 0UL };
    private readonly Option<int?> threads = new("--threads") { Description = "Intra-op threads (default: all cores)" };
    private readonly Option<string> device = DeviceOption.Create();
    private readonly Option<string> output = new("--out") { Description = "Run folder (best.safetensors, last.checkpoint, history.csv, curves.png, TensorBoard events)", Required = true };
    private readonly Option<bool> resume = new("--resume") { Description = "Continue an interrupted run from its last completed epoch" };
    private readonly Option<string> monitor = new("--monitor") { Description = "Metric for the best model and early stopping", DefaultValueFactory = _ => "val_accuracy" };
    private readonly Option<int?> patience = new("--early-stopping") { Description = "Stop after this many epochs without improvement (restores the best weights)" };
    private readonly Option<bool> cache = new("--cache") { Description = "Keep decoded, resized images in memory" };
    private readonly Option<bool> balanced = new("--balanced") { Description = "Class-balanced sampling" };
    private readonly Option<int?> limit = new("--limit") { Description = "Use at most this many training images (stratified), for quick experiments" };
    private readonly Option<int?> accumulate = new("--accumulate") { Description = "Gradient accumulation: split each batch into K micro-batches and step once (less memory; only the last micro-batch is synchronised across processes)" };
    private readonly Option<string?> gradCompression = new("--grad-compression") { Description = $"How gradient buckets travel between processes: {DataParallelOptions.CompressionNames} (fp16 halves the bytes)" };
    private readonly Option<bool> syncBatchNorm = new("--sync-batch-norm") { Description = "Data-parallel: BatchNorm layers normalise with the statistics of the global batch (all processes), as one process with --batch would; two small all-reduces per BatchNorm layer in each forward and backward (no effect in one process)" };
    private readonly Option<bool> distributed = new("--distributed") { Description = "Data-parallel training over c10d (automatic under torchrun/`sharpvision launch` variables)" };
    private readonly Option<string> health = new("--health") { Description = "on | off: watch the run and print health warnings with advice (stuck loss, NaN, dead ReLUs, exploding/vanishing gradients, over-fitting, plateau)", DefaultValueFactory = _ => "on" };
    private readonly Option<bool> noProgress = new("--no-progress") { Description = "No live progress bar (one line per epoch)" };
    private readonly Option<string?> pretrained = new("--pretrained") { Description = "Pretrained backbone: a .safetensors file in torchvision naming, or a known name (mobilenet_v2, resnet50, …) found in the weights folder; the head is replaced for your classes" };
    private readonly Option<string?> freeze = new("--freeze") { Description = "Freeze modules: an index range of a block list (features.0-12), or names (layer1,layer2)" };
    private readonly Option<string?> freezeUntil = new("--freeze-until") { Description = "Freeze every top-level module before this one (e.g. layer3)" };
    private readonly Option<string?> fineTune = new("--fine-tune") { Description = "HEAD_EPOCHS:UNFROZEN_EPOCHS — train the head with the backbone frozen, then unfreeze the top blocks at a lower rate (needs --pretrained)" };
    private readonly Option<string?> unfreeze = new("--unfreeze") { Description = "What --fine-tune unfreezes (default: the model's top blocks, e.g. features.13+ for MobileNetV2, layer4 for ResNet)" };
    private readonly Option<double?> ftLr = new("--fine-tune-lr") { Description = "Learning rate of the unfrozen phase (default: --lr / 10)" };
    private readonly Option<string> ftSchedule = new("--fine-tune-schedule") { Description = $"Learning-rate schedule of --fine-tune's unfrozen phase: {LearningRateSchedule.ValidSpecs}", DefaultValueFactory = _ => "cosine" };
    private readonly Option<string> batchNorm = new("--batch-norm") { Description = "BatchNorm in the blocks --fine-tune unfreezes: running (update the running statistics) | frozen (keep them, eval mode) | batch (batch statistics)", DefaultValueFactory = _ => "running" };
    private readonly Option<string> headMode = new("--head-mode") { Description = "How --fine-tune's head phase trains: auto (on cached features when nothing needs the images) | cached | end-to-end", DefaultValueFactory = _ => "auto" };
    private readonly Option<int> featurePasses = new("--feature-passes") { Description = "With --head-mode cached and --augment: augmented passes stored in the feature cache (one served per epoch)", DefaultValueFactory = _ => 0 };
    private readonly Option<string?> featureCache = new("--feature-cache") { Description = "Folder of --fine-tune's feature cache (default: the run folder); share it between runs to reuse extracted features" };
    private readonly Option<double?> discriminative = new("--discriminative") { Description = "Discriminative rates for --fine-tune: the lowest unfrozen block learns at --fine-tune-lr × this, higher blocks geometrically more, the head at --fine-tune-lr (e.g. 0.1)" };

    /// <summary>Adds every option to <paramref name="cmd"/>.</summary>
    public void AddTo(Command cmd)
    {
        foreach (var o in new Option[] { data, val, valSplit, valFold, format, classes, exclude, model, input, resize, normalize, epochs, batch, optimizer, lr, wd, momentum,
                     schedule, smoothing, augment, dropout, taps, clip, ema, seed, threads, device, output, resume, monitor, patience, cache, balanced, limit,
                     accumulate, gradCompression, syncBatchNorm, distributed, health, noProgress, pretrained, freeze, freezeUntil, fineTune, unfreeze, ftLr, discriminative,
                     ftSchedule, batchNorm, headMode, featurePasses, featureCache })
            cmd.Options.Add(o);
    }

    /// <summary>The value named <paramref name="text"/> among <paramref name="choices"/>; the error lists them.</summary>
    private static T Choice<T>(string text, string flag, params (string Name, T Value)[] choices) =>
        choices.FirstOrDefault(c => c.Name == text.Trim().ToLowerInvariant()) is { Name: not null } hit
            ? hit.Value
            : throw new ArgumentException($"{flag} must be {string.Join(", ", choices.Select(c => c.Name))}, got '{text}'");

    /// <summary>
    /// The train flag of each <see cref="TrainingRunOptions"/> property the library's errors name (the library speaks
    /// of its options; the CLI of its flags).
    /// </summary>
    private static readonly (System.Text.RegularExpressions.Regex Property, string Flag)[] Flags =
    [
        .. new (string Property, string Flag)[]
        {
            (nameof(TrainingRunOptions.FindLearningRate), "--lr auto"), (nameof(TrainingRunOptions.LearningRate), "--lr"),
            (nameof(TrainingRunOptions.EmaDecay), "--ema"), (nameof(TrainingRunOptions.Distributed), "--distributed"),
            (nameof(TrainingRunOptions.SyncBatchNorm), "--sync-batch-norm"), (nameof(TrainingRunOptions.FineTune), "--fine-tune"), (nameof(TrainingRunOptions.Optimizer), "--optimizer"),
            (nameof(TrainingRunOptions.Pretrained), "--pretrained"), (nameof(TrainingRunOptions.FreezeUntil), "--freeze-until"),
            (nameof(TrainingRunOptions.AccumulationSteps), "--accumulate"), (nameof(TrainingRunOptions.GradientCompression), "--grad-compression"),
            (nameof(TrainingRunOptions.BatchSize), "--batch"),
        }.Select(p => (new System.Text.RegularExpressions.Regex($@"\b{p.Property}\b"), p.Flag)),
    ];

    /// <summary>A library message with the option names it mentions replaced by their train flags.</summary>
    public static string WithFlags(string message) => Flags.Aggregate(message, (m, f) => f.Property.Replace(m, f.Flag));

    /// <summary>Reads and checks the options (before any data is opened).</summary>
    public TrainingRunOptions Bind(ParseResult parse)
    {
        var modelName = parse.GetValue(model)!;
        if (!ModelZoo.Contains(modelName)) throw new ArgumentException($"unknown model '{modelName}'; valid names: {string.Join(", ", ModelZoo.Names)}");
        var (h, w) = SummaryCommand.ParseSize(parse.GetValue(input), (0, 0));
        var dataPath = parse.GetValue(data)!;
        if (!Directory.Exists(dataPath)) throw new DirectoryNotFoundException($"training data folder not found: {dataPath}");
        // Strings become typed settings here, before any data is opened: a bad one fails fast.
        var augmentation = parse.GetValue(augment) is { } augmentSpec ? AugmentationSpec.Parse(augmentSpec) : null;
        var lrSchedule = LearningRateSchedule.Parse(parse.GetValue(schedule)!);
        var optimizerKind = TrainingRun.ParseOptimizer(parse.GetValue(optimizer)!);
        var learningRate = ParseLearningRate(parse.GetValue(lr));
        var options = new TrainingRunOptions
        {
            DataPath = dataPath,
            ValidationPath = parse.GetValue(val),
            ValidationSplit = parse.GetValue(valSplit),
            ValidationFold = parse.GetValue(valFold) is { } foldText ? CrossValidationFold.Parse(foldText) : null,
            Format = DatasetOpener.ParseFormat(parse.GetValue(format)!),
            Classes = parse.GetValue(classes)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            ExcludeList = parse.GetValue(exclude),
            Model = modelName,
            InputHeight = h,
            InputWidth = w,
            Resize = ParseResize(parse.GetValue(resize)!),
            Normalization = ParseNormalization(parse.GetValue(normalize)),
            Epochs = parse.GetValue(epochs),
            BatchSize = parse.GetValue(batch),
            Optimizer = optimizerKind,
            LearningRate = learningRate,
            FindLearningRate = learningRate is null && parse.GetValue(lr) is not null,
            WeightDecay = parse.GetValue(wd),
            Momentum = parse.GetValue(momentum),
            Schedule = lrSchedule,
            LabelSmoothing = parse.GetValue(smoothing),
            Augmentation = augmentation,
            Dropout = parse.GetValue(dropout),
            FeatureTaps = parse.GetValue(taps)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            ClipGradientNorm = parse.GetValue(clip),
            EmaDecay = parse.GetValue(ema),
            Seed = parse.GetValue(seed),
            Threads = parse.GetValue(threads),
            Device = DeviceOption.Parse(parse.GetValue(device)!),
            OutputDirectory = parse.GetValue(output)!,
            Resume = parse.GetValue(resume),
            Monitor = parse.GetValue(monitor)!,
            EarlyStoppingPatience = parse.GetValue(patience),
            CacheImages = parse.GetValue(cache),
            BalancedSampling = parse.GetValue(balanced),
            Limit = parse.GetValue(limit),
            Distributed = parse.GetValue(distributed),
            SyncBatchNorm = parse.GetValue(syncBatchNorm),
            Progress = parse.GetValue(noProgress) ? false : null,
            Health = ParseOnOff(parse.GetValue(health)!, "--health"),
            Pretrained = parse.GetValue(pretrained),
            Freeze = parse.GetValue(freeze),
            FreezeUntil = parse.GetValue(freezeUntil),
            FineTune = ParseFineTune(parse.GetValue(fineTune)),
            Unfreeze = parse.GetValue(unfreeze),
            FineTuneLearningRate = parse.GetValue(ftLr),
            DiscriminativeScale = parse.GetValue(discriminative),
            FineTuneSchedule = parse.GetValue(ftSchedule)!,
            BatchNorm = Choice(parse.GetValue(batchNorm)!, "--batch-norm",
                ("running", BatchNormMode.RunningStatistics), ("frozen", BatchNormMode.Frozen), ("batch", BatchNormMode.BatchStatistics)),
            HeadPhase = Choice(parse.GetValue(headMode)!, "--head-mode",
                ("auto", HeadPhaseMode.Auto), ("cached", HeadPhaseMode.Cached), ("end-to-end", HeadPhaseMode.EndToEnd)),
            AugmentedPasses = parse.GetValue(featurePasses),
            FeatureCacheDirectory = parse.GetValue(featureCache),
            CommandLine = "sharpvision " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1).Select(Quote)),
        };
        // Given only when set, so that TrainingRunOptions keeps the one default.
        if (parse.GetValue(accumulate) is { } k) options = options with { AccumulationSteps = k };
        if (parse.GetValue(gradCompression) is { } compression) options = options with { GradientCompression = DataParallelOptions.ParseCompression(compression) };
        if (options.Epochs < 1) throw new ArgumentException("--epochs must be at least 1");
        if (options.FineTune is not null && options.Pretrained is null) throw new ArgumentException("--fine-tune needs --pretrained weights");
        if (options.DiscriminativeScale is { } scale && (options.FineTune is null || !(scale > 0 && scale <= 1)))
            throw new ArgumentException(options.FineTune is null ? "--discriminative needs --fine-tune" : $"--discriminative must be in (0, 1], got {scale}");
        if (options.BatchSize < 1) throw new ArgumentException("--batch must be at least 1");
        if (options.AugmentedPasses < 0) throw new ArgumentException("--feature-passes must be at least 0");
        _ = LearningRateSchedule.Parse(options.FineTuneSchedule); // a bad spec fails here, before any data is opened
        DataParallelOptions.Validate(options.AccumulationSteps, options.GradientCompression, options.BatchSize, world: 1, options.FineTune is not null);
        if (options.ValidationSplit is < 0 or >= 1) throw new ArgumentException("--val-split must be in [0, 1)");
        if (options.ValidationFold is not null && options.ValidationPath is not null) throw new ArgumentException("--val-fold and --val both choose the validation data: give one");
        return options;
    }

    /// <summary>Parses an on/off switch.</summary>
    internal static bool ParseOnOff(string text, string option) => text.Trim().ToLowerInvariant() switch
    {
        "on" or "true" or "yes" => true,
        "off" or "false" or "no" => false,
        _ => throw new ArgumentException($"{option} must be on or off, got '{text}'"),
    };

    /// <summary>Parses --lr: a positive number, or "auto" (null).</summary>
    internal static double? ParseLearningRate(string? text)
    {
        if (text is null || text.Trim().Equals("auto", StringComparison.OrdinalIgnoreCase)) return null;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v > 0 && double.IsFinite(v)) return v;
        throw new ArgumentException($"--lr must be a positive number such as 3e-4, or auto, got '{text}'");
    }

    internal static (int, int)? ParseFineTune(string? text)
    {
        if (text is null) return null;
        var parts = text.Split(':');
        if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var h)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var u) && h + u > 0)
            return (h, u);
        throw new ArgumentException($"--fine-tune must be HEAD_EPOCHS:UNFROZEN_EPOCHS such as 5:10, got '{text}'");
    }

    internal static ResizeMode ParseResize(string text) => text.Trim().ToLowerInvariant() switch
    {
        "stretch" => ResizeMode.Stretch,
        "centercrop" or "center-crop" or "crop" => ResizeMode.CenterCrop,
        "letterbox" or "pad" => ResizeMode.Letterbox,
        _ => throw new ArgumentException($"--resize must be stretch, centercrop or letterbox, got '{text}'"),
    };

    internal static NormalizationMode? ParseNormalization(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        null => null,
        "unit" or "0-1" => NormalizationMode.Unit,
        "minusone" or "-1-1" or "tanh" => NormalizationMode.MinusOneToOne,
        "imagenet" => NormalizationMode.ImageNet,
        _ => throw new ArgumentException($"--normalize must be unit, minusone or imagenet, got '{text}'"),
    };

    private static string Quote(string a) => a.Contains(' ', StringComparison.Ordinal) ? $"\"{a}\"" : a;
}
