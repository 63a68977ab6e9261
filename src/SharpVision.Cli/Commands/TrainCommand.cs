using System.CommandLine;
using System.Globalization;
using SharpVision.Augmentation;
using SharpVision.Data;
using SharpVision.Engine;
using SharpVision.Models;
using SharpVision.Onnx;
using SharpVision.Training;
using SharpVision.Training.Schedules;

namespace SharpVision.Cli.Commands;

/// <summary><c>sharpvision train</c>: trains a zoo model on a folder of photos (or Food-101, IDX, CIFAR data).</summary>
public static class TrainCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Training data: a folder with one subfolder per class, a Food-101 root, or an IDX/CIFAR folder", Required = true };
        var val = new Option<string?>("--val") { Description = "Separate validation data (same layout); default: hold out --val-split of --data" };
        var valSplit = new Option<double>("--val-split") { Description = "Fraction of --data held out for validation (stratified, seeded); 0 = no validation", DefaultValueFactory = _ => 0.1 };
        var valFold = new Option<string?>("--val-fold") { Description = "Hold out fold K of N instead (stratified K-fold seeded by --seed, K from 0; 0/10 is --val-split 0.1): run every K to cross-validate" };
        var format = new Option<string>("--format") { Description = $"Dataset layout: {DatasetOpener.FormatNames}", DefaultValueFactory = _ => "auto" };
        var classes = new Option<string?>("--classes") { Description = "Only these classes, comma-separated (e.g. cheesecake,donuts,ice_cream,macarons,pancakes)" };
        var model = new Option<string>("--model") { Description = $"Model: {string.Join(", ", ModelZoo.Names)}", Required = true };
        var input = new Option<string?>("--input") { Description = "Input size: 128 or HEIGHTxWIDTH (default: the model's)" };
        var resize = new Option<string>("--resize") { Description = "stretch | centercrop | letterbox", DefaultValueFactory = _ => "stretch" };
        var normalize = new Option<string?>("--normalize") { Description = "unit ([0,1]) | minusone ([-1,1]) | imagenet (mean/std); default unit, imagenet with --pretrained" };
        var epochs = new Option<int>("--epochs") { Description = "Epochs", DefaultValueFactory = _ => 10 };
        var batch = new Option<int>("--batch") { Description = "Batch size (global, across processes)", DefaultValueFactory = _ => 32 };
        var optimizer = new Option<string>("--optimizer") { Description = "adam | adamw | sgd | rmsprop", DefaultValueFactory = _ => "adam" };
        var lr = new Option<double?>("--lr") { Description = "Learning rate (default: adam/adamw/rmsprop 1e-3, sgd 1e-2)" };
        var wd = new Option<double?>("--weight-decay") { Description = "Weight decay (default 0; AdamW 0.01)" };
        var momentum = new Option<double>("--momentum") { Description = "Momentum for sgd (Nesterov)", DefaultValueFactory = _ => 0.9 };
        var schedule = new Option<string>("--schedule") { Description = $"Learning-rate schedule: {LearningRateSchedule.ValidSpecs}", DefaultValueFactory = _ => "constant" };
        var smoothing = new Option<double>("--label-smoothing") { Description = "Label smoothing factor", DefaultValueFactory = _ => 0 };
        var augment = new Option<string?>("--augment") { Description = $"Augmentation spec, e.g. \"flip=h,rotate=30,shift=0.1,zoom=0.1,brightness=0.75:1.25\", or a preset: {string.Join(", ", AugmentationSpec.PresetNames)}" };
        var dropout = new Option<double?>("--dropout") { Description = "Override the model's dropout rate" };
        var exclude = new Option<string?>("--exclude") { Description = "A file listing training images to leave out, one path per line (e.g. exclude.txt of `sharpvision audit`); validation images are never excluded" };
        var taps = new Option<string?>("--feature-taps") { Description = "Multi-scale features: also pool these blocks' outputs into the head's input (mobilenet_v2: features.13,features.16; resnet: layer2,layer3)" };
        var clip = new Option<double?>("--clip-grad") { Description = "Clip the global gradient norm" };
        var ema = new Option<double?>("--ema") { Description = "Keep an exponential moving average of the weights with this decay (e.g. 0.998); validation, best and final models use it" };
        var seed = new Option<ulong>("--seed") { Description = "Seed of data order, augmentation, dropout and initialisation", DefaultValueFactory = _ => 0UL };
        var threads = new Option<int?>("--threads") { Description = "Intra-op threads (default: all cores)" };
        var device = new Option<string>("--device") { Description = "cpu | cuda | cuda:N", DefaultValueFactory = _ => "cpu" };
        var output = new Option<string>("--out") { Description = "Run folder (best.safetensors, last.checkpoint, history.csv, curves.png, TensorBoard events)", Required = true };
        var resume = new Option<bool>("--resume") { Description = "Continue an interrupted run from its last completed epoch" };
        var monitor = new Option<string>("--monitor") { Description = "Metric for the best model and early stopping", DefaultValueFactory = _ => "val_accuracy" };
        var patience = new Option<int?>("--early-stopping") { Description = "Stop after this many epochs without improvement (restores the best weights)" };
        var cache = new Option<bool>("--cache") { Description = "Keep decoded, resized images in memory" };
        var balanced = new Option<bool>("--balanced") { Description = "Class-balanced sampling" };
        var limit = new Option<int?>("--limit") { Description = "Use at most this many training images (stratified), for quick experiments" };
        var distributed = new Option<bool>("--distributed") { Description = "Data-parallel training over c10d (automatic under torchrun/`sharpvision launch` variables)" };
        var noProgress = new Option<bool>("--no-progress") { Description = "No live progress bar (one line per epoch)" };
        var pretrained = new Option<string?>("--pretrained") { Description = "Pretrained backbone: a .safetensors file in torchvision naming, or a known name (mobilenet_v2, resnet50, …) found in the weights folder; the head is replaced for your classes" };
        var freeze = new Option<string?>("--freeze") { Description = "Freeze modules: an index range of a block list (features.0-12), or names (layer1,layer2)" };
        var freezeUntil = new Option<string?>("--freeze-until") { Description = "Freeze every top-level module before this one (e.g. layer3)" };
        var fineTune = new Option<string?>("--fine-tune") { Description = "HEAD_EPOCHS:UNFROZEN_EPOCHS — train the head with the backbone frozen, then unfreeze the top blocks at a lower rate (needs --pretrained)" };
        var unfreeze = new Option<string?>("--unfreeze") { Description = "What --fine-tune unfreezes (default: the model's top blocks, e.g. features.13+ for MobileNetV2, layer4 for ResNet)" };
        var ftLr = new Option<double?>("--fine-tune-lr") { Description = "Learning rate of the unfrozen phase (default: --lr / 10)" };
        var discriminative = new Option<double?>("--discriminative") { Description = "Discriminative rates for --fine-tune: the lowest unfrozen block learns at --fine-tune-lr × this, higher blocks geometrically more, the head at --fine-tune-lr (e.g. 0.1)" };

        var cmd = new Command("train", "Train a model; writes the model files, history, curves and TensorBoard logs into the run folder.");
        foreach (var o in new Option[] { data, val, valSplit, valFold, format, classes, exclude, model, input, resize, normalize, epochs, batch, optimizer, lr, wd, momentum,
                     schedule, smoothing, augment, dropout, taps, clip, ema, seed, threads, device, output, resume, monitor, patience, cache, balanced, limit,
                     distributed, noProgress, pretrained, freeze, freezeUntil, fineTune, unfreeze, ftLr, discriminative })
            cmd.Options.Add(o);
        cmd.SetAction(parse => CliErrors.Run(() =>
        {
            var modelName = parse.GetValue(model)!;
            if (!ModelZoo.Contains(modelName)) throw new ArgumentException($"unknown model '{modelName}'; valid names: {string.Join(", ", ModelZoo.Names)}");
            var (h, w) = SummaryCommand.ParseSize(parse.GetValue(input), (0, 0));
            var dataPath = parse.GetValue(data)!;
            if (!Directory.Exists(dataPath)) throw new DirectoryNotFoundException($"training data folder not found: {dataPath}");
            var augmentSpec = parse.GetValue(augment);
            if (augmentSpec is not null) AugmentationSpec.Parse(augmentSpec); // fail fast, before data is opened
            LearningRateSchedule.Parse(parse.GetValue(schedule)!);
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
                Optimizer = parse.GetValue(optimizer)!,
                LearningRate = parse.GetValue(lr),
                WeightDecay = parse.GetValue(wd),
                Momentum = parse.GetValue(momentum),
                Schedule = parse.GetValue(schedule)!,
                LabelSmoothing = parse.GetValue(smoothing),
                Augment = augmentSpec,
                Dropout = parse.GetValue(dropout),
                FeatureTaps = parse.GetValue(taps)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                ClipGradientNorm = parse.GetValue(clip),
                EmaDecay = parse.GetValue(ema),
                Seed = parse.GetValue(seed),
                Threads = parse.GetValue(threads),
                Device = Device.Parse(parse.GetValue(device)!),
                OutputDirectory = parse.GetValue(output)!,
                Resume = parse.GetValue(resume),
                Monitor = parse.GetValue(monitor)!,
                EarlyStoppingPatience = parse.GetValue(patience),
                CacheImages = parse.GetValue(cache),
                BalancedSampling = parse.GetValue(balanced),
                Limit = parse.GetValue(limit),
                Distributed = parse.GetValue(distributed),
                Progress = parse.GetValue(noProgress) ? false : null,
                Pretrained = ImportOnnxPretrained(parse.GetValue(pretrained), parse.GetValue(model)!, parse.GetValue(output)!),
                Freeze = parse.GetValue(freeze),
                FreezeUntil = parse.GetValue(freezeUntil),
                FineTune = ParseFineTune(parse.GetValue(fineTune)),
                Unfreeze = parse.GetValue(unfreeze),
                FineTuneLearningRate = parse.GetValue(ftLr),
                DiscriminativeScale = parse.GetValue(discriminative),
                CommandLine = "sharpvision " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1).Select(Quote)),
            };
            if (options.Epochs < 1) throw new ArgumentException("--epochs must be at least 1");
            if (options.FineTune is not null && options.Pretrained is null) throw new ArgumentException("--fine-tune needs --pretrained weights");
            if (options.DiscriminativeScale is { } scale && (options.FineTune is null || !(scale > 0 && scale <= 1)))
                throw new ArgumentException(options.FineTune is null ? "--discriminative needs --fine-tune" : $"--discriminative must be in (0, 1], got {scale}");
            if (options.BatchSize < 1) throw new ArgumentException("--batch must be at least 1");
            if (options.ValidationSplit is < 0 or >= 1) throw new ArgumentException("--val-split must be in [0, 1)");
            if (options.ValidationFold is not null && options.ValidationPath is not null) throw new ArgumentException("--val-fold and --val both choose the validation data: give one");
            if (options.Device.IsCuda && !Cuda.IsAvailable) throw new ArgumentException("--device cuda: CUDA is not available in this libtorch (Debian's is CPU-only)");
            using var cts = new CancellationTokenSource();
            ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; cts.Cancel(); };
            Console.CancelKeyPress += onCancel;
            try
            {
                var result = TrainingRun.Run(options, Console.WriteLine, null, cts.Token);
                Console.WriteLine();
                Console.WriteLine($"Best {options.Monitor}: {result.Best:0.0000} (epoch {result.BestEpoch})");
                Console.WriteLine($"Run folder: {result.RunDirectory}");
                Console.WriteLine($"  best model   {result.BestModelPath}");
                Console.WriteLine($"  final model  {result.FinalModelPath}");
                Console.WriteLine($"  history      {Path.Combine(result.RunDirectory, "history.csv")}, curves {Path.Combine(result.RunDirectory, "curves.png")}");
                Console.WriteLine($"  resume state {Path.Combine(result.RunDirectory, "last.checkpoint")}; TensorBoard: tensorboard --logdir {result.RunDirectory}");
                if (result.SkippedFiles > 0) Console.WriteLine($"  skipped      {result.SkippedFiles} unreadable file(s), listed in {Path.Combine(result.RunDirectory, "skipped.txt")}");
                return 0;
            }
            finally
            {
                Console.CancelKeyPress -= onCancel;
            }
        }));
        return cmd;
    }

    /// <summary>
    /// --pretrained MODEL.onnx: maps its weights onto the architecture (checked against ONNX Runtime) into the run
    /// folder once, so a resumed run reads the same file. A model with its own preprocessing graph is better converted
    /// with 'weights import --preprocess' first.
    /// </summary>
    private static string? ImportOnnxPretrained(string? pretrained, string architecture, string runFolder)
    {
        if (pretrained is null || !ImagePredictors.IsOnnx(pretrained)) return pretrained;
        var imported = Path.Combine(runFolder, Path.GetFileNameWithoutExtension(pretrained) + ".imported.safetensors");
        if (!File.Exists(imported))
        {
            Directory.CreateDirectory(runFolder);
            var result = OnnxWeightsImporter.ImportToFile(pretrained, architecture, imported);
            Console.WriteLine($"Imported {pretrained} onto {architecture}: {result.Convolutions} convolutions, {result.Dense} dense layers; ONNX Runtime check: {result.Verification}");
        }
        return imported;
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
