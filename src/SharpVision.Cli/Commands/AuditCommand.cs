using System.CommandLine;
using System.Globalization;
using SharpVision.Data;
using SharpVision.Engine;
using SharpVision.Evaluation;
using SharpVision.Models;
using SharpVision.Reports;
using SharpVision.Transfer.Features;
using SharpVision.Transfer.Pretrained;
using SharpVision.Transfer;

namespace SharpVision.Cli.Commands;

/// <summary>
/// <c>sharpvision audit</c>: finds images whose label looks wrong with a frozen pretrained backbone and out-of-fold
/// linear heads (confident learning, <see cref="LabelAudit"/>); writes label-issues.csv, exclude.txt and a gallery.
/// </summary>
public static class AuditCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Labelled images: a folder with one subfolder per class, a Food-101 root, or an IDX/CIFAR folder", Required = true };
        var format = new Option<string>("--format") { Description = $"Dataset layout: {DatasetOpener.FormatNames}", DefaultValueFactory = _ => "auto" };
        var split = new Option<string>("--split") { Description = "train | test (for layouts that hold both)", DefaultValueFactory = _ => "train" };
        var classes = new Option<string?>("--classes") { Description = "Only these classes, comma-separated" };
        var valSplit = new Option<double>("--val-split") { Description = "Audit only the training part of train's stratified split (the validation images stay unseen), e.g. 0.1", DefaultValueFactory = _ => 0 };
        var valFold = new Option<string?>("--val-fold") { Description = "Audit only the training part of train's --val-fold K/N split" };
        var splitSeed = new Option<long>("--split-seed") { Description = "Seed of that split (train's --seed)", DefaultValueFactory = _ => 0 };
        var model = new Option<string>("--model") { Description = "Backbone architecture", DefaultValueFactory = _ => "mobilenet_v2" };
        var pretrained = new Option<string?>("--pretrained") { Description = "Pretrained weights: a .safetensors file or a known name (default: the --model name, looked up in the weights folders)" };
        var input = new Option<string?>("--input") { Description = "Input size: 224 or HEIGHTxWIDTH (default: the model's)" };
        var folds = new Option<int>("--folds") { Description = "Cross-validation folds: each image is scored by a head that never saw it", DefaultValueFactory = _ => 5 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the folds and the heads", DefaultValueFactory = _ => 0UL };
        var l2 = new Option<double?>("--l2") { Description = "L2 penalty of the linear heads (default: chosen among 0.01–3 by out-of-fold log-loss)" };
        var steps = new Option<int>("--steps") { Description = "Full-batch optimisation steps of each head", DefaultValueFactory = _ => new LabelAuditOptions().Steps };
        var top = new Option<int>("--top") { Description = "Issues printed (all are in label-issues.csv)", DefaultValueFactory = _ => 20 };
        var threads = new Option<int?>("--threads") { Description = "Intra-op threads (default: all cores)" };
        var output = new Option<string>("--out") { Description = "Folder for label-issues.csv, exclude.txt, label-issues.png and the feature cache", Required = true };

        var device = DeviceOption.Create();
        var cmd = new Command("audit", "Find images whose label looks wrong: frozen pretrained features, out-of-fold linear heads, confident learning.");
        foreach (var o in new Option[] { data, format, split, classes, valSplit, valFold, splitSeed, model, pretrained, input, folds, seed, l2, steps, top, threads, device, output }) cmd.Options.Add(o);
        cmd.SetAction(parse => CliErrors.Run(() =>
        {
            var onDevice = DeviceOption.Parse(parse.GetValue(device)!);
            if (parse.GetValue(threads) is { } t) Torch.NumThreads = t;
            var arch = parse.GetValue(model)!;
            if (!ModelZoo.Contains(arch)) throw new ArgumentException($"unknown model '{arch}'; valid names: {string.Join(", ", ModelZoo.Names)}");
            var (h, w) = SummaryCommand.ParseSize(parse.GetValue(input), ModelZoo.DefaultInputSize(arch));
            var options = new LabelAuditOptions { Folds = parse.GetValue(folds), Seed = parse.GetValue(seed), L2 = parse.GetValue(l2), Steps = parse.GetValue(steps) };
            if (options.Folds < 2) throw new ArgumentException($"--folds must be at least 2, got {options.Folds}");
            ImageDataset dataset = DatasetOpener.Open(parse.GetValue(data)!, DatasetOpener.ParseFormat(parse.GetValue(format)!), parse.GetValue(split)!,
                parse.GetValue(classes)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            var fraction = parse.GetValue(valSplit);
            if (fraction is < 0 or >= 1) throw new ArgumentException($"--val-split must be in [0, 1), got {fraction}");
            var fold = parse.GetValue(valFold) is { } foldText ? CrossValidationFold.Parse(foldText) : (CrossValidationFold?)null;
            if (fold is not null && fraction > 0) throw new ArgumentException("--val-fold and --val-split both choose the held-out images: give one");
            if (fraction > 0 || fold is not null)
            {
                var (trainPart, validationPart) = fold is { } f
                    ? DatasetSplit.Fold(dataset, f, parse.GetValue(splitSeed))
                    : DatasetSplit.Stratified(dataset, fraction, parse.GetValue(splitSeed));
                Console.WriteLine($"auditing the {trainPart.Count} training images of the stratified split (the {validationPart.Count} validation images are left out)");
                dataset = trainPart;
            }
            if (dataset.ClassNames.Count < 2) throw new ArgumentException($"{parse.GetValue(data)}: a label audit needs at least 2 classes");
            Console.WriteLine($"data: {dataset.Count} images, {dataset.ClassNames.Count} classes ({string.Join(", ", dataset.ClassNames)})");
            if (dataset.Skipped.Count > 0) Console.WriteLine($"skipped {dataset.Skipped.Count} unreadable file(s)");

            using var module = ModelZoo.Create(arch, new ModelOptions { NumClasses = dataset.ClassNames.Count, InputChannels = dataset.Channels, InputHeight = h, InputWidth = w });
            var report = PretrainedWeights.Load(module, parse.GetValue(pretrained) ?? arch);
            Console.WriteLine($"backbone: {arch} at {h}×{w}, {report.Loaded.Count} pretrained tensors from {report.Source}");
            if (onDevice.IsCuda) module.To(onDevice); // features are extracted there; the heads train on the cached features
            var outDir = parse.GetValue(output)!;
            Directory.CreateDirectory(outDir);
            var cacheOptions = new FeatureCacheOptions
            {
                CachePath = Path.Combine(outDir, "features.safetensors"),
                ModelName = arch,
                Device = onDevice,
                Log = line => Console.WriteLine(line),
            };
            var result = LabelAudit.Run((IClassifierModel)module, dataset, new ImagePreprocessor(h, w), Normalization.ImageNet, options, cacheOptions);

            var names = result.ClassNames;
            if (result.L2Scores.Count > 0)
                Console.WriteLine("L2 penalty by out-of-fold log-loss: " + string.Join(", ", result.L2Scores.Select(x => string.Create(CultureInfo.InvariantCulture, $"{x.L2:G3} → {x.LogLoss:0.000}"))));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"out-of-fold accuracy of the frozen features: {result.OutOfFoldAccuracy:P1}, log-loss {result.OutOfFoldLogLoss:0.000} ({options.Folds} folds, L2 {result.L2:G3})"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"suspected label issues: {result.Issues.Count} of {dataset.Count} images ({(double)result.Issues.Count / dataset.Count:P1})"));
            var pairs = new List<(int Given, int Likely, int Count)>();
            for (var g = 0; g < names.Count; g++)
                for (var l = 0; l < names.Count; l++)
                    if (g != l && result.ConfidentJoint[g, l] > 0) pairs.Add((g, l, result.ConfidentJoint[g, l]));
            foreach (var (g, l, n) in pairs.OrderByDescending(p => p.Count).Take(10)) Console.WriteLine($"  labelled {names[g]}, looks like {names[l]}: {n}");
            var shown = result.Issues.Take(Math.Max(0, parse.GetValue(top))).ToList();
            if (shown.Count > 0) Console.WriteLine("least likely labels first (p of the given label / of the suggested class):");
            foreach (var i in shown)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {i.Name}  {names[i.GivenLabel]} → {names[i.SuggestedLabel]}  {i.GivenProbability:0.00}/{i.SuggestedProbability:0.00}"));
            foreach (var f in LabelAuditReport.Write(outDir, result, dataset.Load)) Console.WriteLine($"wrote {f}");
            Console.WriteLine($"check the images; to train without them: sharpvision train … --exclude {Path.Combine(outDir, "exclude.txt")}");
            return 0;
        }));
        return cmd;
    }
}
