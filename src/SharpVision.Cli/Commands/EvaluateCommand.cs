using System.CommandLine;
using System.Globalization;
using System.Text;
using SharpVision.Augmentation;
using SharpVision.Data;
using SharpVision.Evaluation;
using SharpVision.Imaging;
using SharpVision.Inference;
using SharpVision.Models;
using SharpVision.Onnx;
using SharpVision.Reports;
using SharpVision.Training;
using SharpVision.Training.Health;
using SharpVision.Training.LearningRates;

namespace SharpVision.Cli.Commands;

/// <summary>
/// <c>sharpvision evaluate --model FILE [--model FILE2 …] --data DIR [--format auto|folder|food101|idx|cifar10|cifar100]
/// [--split test|train] [--val-split F | --val-fold K[,K…]/N|all/N] [--split-seed S] [--batch 64] [--top 5] [--threshold 0.5] [--tta N] [--tta-augment SPEC] [--ensemble] [--report DIR] [--json]</c>:
/// measures saved models on a labelled data set — accuracy, top-k, loss, per-class table, optional test-time
/// augmentation, an HTML report, and a side-by-side comparison of several models. With several folds of a
/// cross-validation, each --model path holds <c>{fold}</c>; every fold's held-out images are scored by that fold's model
/// and the folds are pooled (<see cref="PooledEvaluation"/>), so each image counts once.
/// </summary>
public static class EvaluateCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var models = new Option<string[]>("--model") { Description = "Model file (.safetensors from sharpvision train); repeat to compare several models", Required = true };
        var data = new Option<string>("--data") { Description = "Data set folder", Required = true };
        var format = new Option<string>("--format") { Description = $"Data set layout: {DatasetOpener.FormatNames}", DefaultValueFactory = _ => "auto" };
        var split = new Option<string>("--split") { Description = "Which split of formats that hold both: test or train", DefaultValueFactory = _ => "test" };
        var valSplit = new Option<double>("--val-split") { Description = "Evaluate only the stratified held-out part of --data that `train --val-split F --seed S` validated on (0 = all of it)", DefaultValueFactory = _ => 0 };
        var valFold = new Option<string?>("--val-fold") { Description = "Evaluate only the fold(s) held out by `train --val-fold K/N --seed S`: K/N, K1,K2/N or all/N; with several, write {fold} in each --model path (runs/f{fold}/best.safetensors) and the folds are pooled" };
        var splitSeed = new Option<long>("--split-seed") { Description = "The --seed of that training run (selects the same held-out images)", DefaultValueFactory = _ => 0 };
        var batch = new Option<int>("--batch") { Description = "Images per forward pass", DefaultValueFactory = _ => 64 };
        var top = new Option<int>("--top") { Description = "k of the top-k accuracy", DefaultValueFactory = _ => 5 };
        var threshold = new Option<double>("--threshold") { Description = "Confidence at or above which a prediction counts as confident", DefaultValueFactory = _ => 0.5 };
        var tta = new Option<int>("--tta") { Description = "Test-time augmentation: number of augmented passes added to the plain pass (0 = off)", DefaultValueFactory = _ => 0 };
        var ttaAugment = new Option<string?>("--tta-augment") { Description = $"Augmentation of the TTA passes (default {ModelEvaluatorOptions.DefaultTtaAugmentation})" };
        var seed = new Option<long>("--seed") { Description = "Seed of the TTA passes", DefaultValueFactory = _ => 0 };
        var report = new Option<string?>("--report") { Description = "Write report.html, metrics.json and the figures into this folder" };
        var json = new Option<bool>("--json") { Description = "Print only the metrics as JSON (machine-readable)" };
        var input = new Option<string?>("--input") { Description = "Run the models at this input size instead of their trained one: 224 or HEIGHTxWIDTH (globally pooled networks only; FixRes testing)" };
        var unknown = new Option<string?>("--unknown") { Description = "A folder of images of none of the classes: report how well the model's calibrated \"unknown\" rejection separates them (AUROC, false accepts, known items accepted)" };
        var ensemble = new Option<bool>("--ensemble") { Description = "Also measure the ensemble of the --model files: the mean of their probabilities (their TTA means with --tta)" };

        var cmd = new Command("evaluate", "Measure saved models on a labelled data set: accuracy, top-k, per-class table, TTA, HTML report, comparison.");
        foreach (var o in new Option[] { models, data, format, split, valSplit, valFold, splitSeed, batch, top, threshold, tta, ttaAugment, seed, input, ensemble, unknown, report, json }) cmd.Options.Add(o);
        var inference = InferenceOptions.AddTo(cmd, withInput: false, withDevice: true);
        cmd.SetAction(parse => CliErrors.Run(() =>
        {
            var settings = new Settings(
                parse.GetValue(models) ?? [], parse.GetValue(data) ?? "", parse.GetValue(format) ?? "auto", parse.GetValue(split) ?? "test",
                parse.GetValue(batch), parse.GetValue(top), parse.GetValue(threshold), parse.GetValue(tta), parse.GetValue(ttaAugment),
                parse.GetValue(seed), parse.GetValue(report), parse.GetValue(json))
            {
                ValidationSplit = parse.GetValue(valSplit),
                SplitSeed = parse.GetValue(splitSeed),
                ValidationFoldSpec = parse.GetValue(valFold),
                Ensemble = parse.GetValue(ensemble),
                Unknown = parse.GetValue(unknown),
                InputSize = parse.GetValue(input) is { } size ? SummaryCommand.ParseSize(size, (0, 0)) : null,
                Inference = inference.Read(parse),
            };
            return Run(settings, Console.Out, Console.Error);
        }));
        return cmd;
    }

    /// <summary>The parsed options.</summary>
    internal sealed record Settings(string[] Models, string Data, string Format, string Split, int Batch, int Top, double Threshold,
        int Tta, string? TtaAugment, long Seed, string? Report, bool Json)
    {
        /// <summary>Fraction held out by the training run's stratified split; 0 evaluates the whole data set.</summary>
        public double ValidationSplit { get; init; }

        /// <summary>--val-fold as given (K/N, K1,K2/N or all/N); null = <see cref="ValidationSplit"/>.</summary>
        public string? ValidationFoldSpec { get; init; }

        /// <summary>The K-fold folds held out by the training runs (empty = <see cref="ValidationSplit"/>); several are pooled.</summary>
        public IReadOnlyList<CrossValidationFold> ValidationFolds => ValidationFoldSpec is null ? [] : CrossValidationFold.ParseSet(ValidationFoldSpec);

        /// <summary>Seed of that split.</summary>
        public long SplitSeed { get; init; }

        /// <summary>Also measure the mean prediction of all models.</summary>
        public bool Ensemble { get; init; }

        /// <summary>A folder of images of none of the classes for the open-set figures (null = none).</summary>
        public string? Unknown { get; init; }

        /// <summary>Input size to run the models at instead of their trained one (null = as trained).</summary>
        public (int Height, int Width)? InputSize { get; init; }

        /// <summary>Threads, and what an .onnx file without SharpVision metadata needs (classes, normalisation).</summary>
        public ImagePredictorOptions Inference { get; init; } = new();

        /// <summary>How the evaluated part is described in the output.</summary>
        public string SplitDescription => ValidationFolds.Count == 1
            ? $"split {Split}, stratified fold {ValidationFolds[0]} held out with seed {SplitSeed}"
            : ValidationFolds.Count > 1
            ? $"split {Split}, stratified folds {string.Join(",", ValidationFolds.Select(f => f.Index))} of {ValidationFolds[0].Count} held out with seed {SplitSeed}, each scored by its own model, pooled"
            : ValidationSplit > 0
            ? $"split {Split}, stratified {ValidationSplit:0.###} held out with seed {SplitSeed}"
            : $"split {Split}";
    }

    /// <summary>The first model's open-set figures on the evaluated images against the images in <paramref name="unknownDir"/>.</summary>
    private static UnknownEvaluation MeasureUnknown(Settings s, string unknownDir, string modelPath, IReadOnlyList<ImageDataset> parts, TextWriter stderr)
    {
        if (parts.Count != 1) throw new ArgumentException("--unknown measures one model on one set of known images; give --val-split or a single --val-fold");
        var unknownData = ImageFilesDataset.Open(unknownDir);
        using var classifier = LoadModel(modelPath, s.InputSize);
        stderr.WriteLine($"measuring unknown-item rejection of {modelPath} on {parts[0].Count} known and {unknownData.Count} unknown images…");
        return UnknownEvaluator.Evaluate(classifier, parts[0], unknownData, s.Batch, modelPath);
    }

    /// <summary>Runs the evaluation; returns the exit code (0 ok, 2 bad input such as a missing or foreign file, 1 other failure).</summary>
    internal static int Run(Settings s, TextWriter stdout, TextWriter stderr)
    {
        try
        {
            var options = Check(s);
            var dataFormat = DatasetOpener.ParseFormat(s.Format);
            IReadOnlyList<int?> foldIndices = s.ValidationFolds.Count > 0 ? s.ValidationFolds.Select(f => (int?)f.Index).ToArray() : [null];
            foreach (var m in s.Models)
                foreach (var k in foldIndices)
                    if (!File.Exists(ModelPath(m, k))) throw new ArgumentException($"model file not found: {ModelPath(m, k)}");
            if (!Directory.Exists(s.Data) && !File.Exists(s.Data)) throw new ArgumentException($"data folder not found: {s.Data}");
            var (dataset, parts) = EvaluationRun.HeldOut(DatasetOpener.Open(s.Data, dataFormat, s.Split), s.ValidationFolds, s.ValidationSplit, s.SplitSeed);
            var names = DisplayNames(s.Models);
            var runs = new List<(string Name, string Path, ModelDescriptor Descriptor, ModelEvaluation Evaluation)>();
            foreach (var (template, name) in s.Models.Zip(names))
            {
                var (evaluation, descriptor) = EvaluationRun.Evaluate(template, name, parts, foldIndices, path => LoadPredictor(path, s), options, s.Data, stderr.WriteLine);
                runs.Add((name, ModelPath(template, foldIndices[0]), descriptor, evaluation));
            }
            var comparison = runs.Count > 1 ? Compare(runs.Select(r => (r.Name, r.Evaluation)).ToList()) : null;
            var ensembleResult = s.Ensemble ? ModelEnsemble.Evaluate(runs.Select(r => r.Evaluation).ToList(), options.Metrics) : null;
            var unknownResult = s.Unknown is { } unknownDir ? MeasureUnknown(s, unknownDir, runs[0].Path, parts, stderr) : null;

            if (s.Report is { } reportDir)
            {
                for (var i = 0; i < runs.Count; i++)
                {
                    var r = runs[i];
                    var dir = i == 0 ? reportDir : Path.Combine(reportDir, SafeFileName(r.Name));
                    var reportOptions = ReportOptions(s, r.Path, s.Models[i], r.Descriptor, r.Evaluation, dataset, dataFormat, i == 0 ? comparison : null);
                    var files = EvaluationReport.Write(dir, r.Evaluation.Result, i == 0 ? reportOptions with { Unknown = unknownResult } : reportOptions);
                    stderr.WriteLine($"report: {files.HtmlPath}");
                }
            }

            var first = runs[0];
            if (s.Json)
            {
                stdout.WriteLine(MetricsJson.Serialize(new MetricsDocument
                {
                    Title = Title(s.Data, first.Descriptor),
                    Evaluation = first.Evaluation.Result,
                    Tta = first.Evaluation.Tta?.Summary,
                    Comparison = comparison,
                    Ensemble = ensembleResult,
                }));
            }
            else
            {
                // The path as given: with several folds it names every fold's file ({fold}).
                foreach (var (r, given) in runs.Zip(s.Models)) stdout.Write(Describe(r.Name, given, r.Descriptor, r.Evaluation, s, dataFormat, options.TtaAugmentation));
                if (comparison is not null)
                {
                    stdout.WriteLine("Comparison on the same data:");
                    stdout.Write(comparison.ToMarkdown());
                }
                if (unknownResult is not null)
                {
                    stdout.WriteLine();
                    stdout.Write(UnknownReport.ToText(unknownResult));
                }
                if (ensembleResult is { } en)
                {
                    stdout.WriteLine();
                    stdout.WriteLine($"Ensemble of the {runs.Count} models (mean of their {(s.Tta > 0 ? "TTA-averaged " : "")}probabilities):");
                    stdout.Write(Headline(en));
                }
            }
            var skipped = first.Evaluation.Skipped;
            if (skipped.Count > 0) stderr.Write(dataset.Skipped.Format());
            return 0;
        }
        catch (Exception e) when (e is FileNotFoundException or InvalidDataException or DatasetException or ClassMismatchException
                                      or FormatException or ArgumentException)
        {
            stderr.WriteLine($"error: {e.Message}");
            return 2;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or Engine.TorchException)
        {
            stderr.WriteLine($"error: {e.Message}");
            return 1;
        }
    }

    private static ModelEvaluatorOptions Check(Settings s)
    {
        if (s.Models.Length == 0) throw new ArgumentException("give at least one --model FILE");
        if (s.Ensemble && s.Models.Length < 2) throw new ArgumentException("--ensemble needs at least two --model files");
        if (s.Split is not ("test" or "train")) throw new ArgumentException($"--split must be test or train, got '{s.Split}'");
        if (s.ValidationSplit is < 0 or >= 1) throw new ArgumentException($"--val-split must be in [0, 1), got {s.ValidationSplit}");
        if (s.ValidationFolds.Count > 0 && s.ValidationSplit > 0) throw new ArgumentException("--val-fold and --val-split both choose the held-out images: give one");
        foreach (var m in s.Models)
        {
            if (s.ValidationFolds.Count > 1 && !m.Contains(FoldPlaceholder, StringComparison.Ordinal))
                throw new ArgumentException($"--model {m}: with several --val-fold folds each model path needs {FoldPlaceholder} (e.g. runs/f{FoldPlaceholder}/best.safetensors), so that every fold is scored by the model that did not train on it");
            if (s.ValidationFolds.Count == 0 && m.Contains(FoldPlaceholder, StringComparison.Ordinal))
                throw new ArgumentException($"--model {m}: {FoldPlaceholder} needs --val-fold to say which folds");
        }
        if (s.Batch < 1) throw new ArgumentException($"--batch must be at least 1, got {s.Batch}");
        if (s.Top < 1) throw new ArgumentException($"--top must be at least 1, got {s.Top}");
        if (!(s.Threshold is >= 0 and <= 1)) throw new ArgumentException($"--threshold must be in [0, 1], got {s.Threshold}");
        if (s.Tta is < 0 or > 100) throw new ArgumentException($"--tta must be in 0..100 augmented passes, got {s.Tta}");
        var spec = s.TtaAugment is null ? ModelEvaluatorOptions.DefaultTtaAugmentation : AugmentationSpec.Parse(s.TtaAugment);
        var options = new ModelEvaluatorOptions
        {
            BatchSize = s.Batch,
            Metrics = new EvaluationOptions { TopK = s.Top, ConfidenceThreshold = s.Threshold },
            TtaPasses = s.Tta,
            TtaAugmentation = spec,
            Seed = s.Seed,
        };
        options.Validate();
        return options;
    }

    private const string FoldPlaceholder = EvaluationRun.FoldPlaceholder;

    private static string ModelPath(string template, int? fold) => EvaluationRun.ModelPath(template, fold);

    private static IImagePredictor LoadPredictor(string path, Settings s)
    {
        if (ImagePredictors.IsOnnx(path)) return ImagePredictors.Load(path, s.Inference with { InputSize = s.InputSize });
        if (!s.Inference.Onnx.IsEmpty) return ImagePredictors.Load(path, s.Inference); // refuses the ONNX-only options
        if (s.Inference.Threads is { } t) SharpVision.Engine.Torch.NumThreads = t;
        return LoadModel(path, s.InputSize, s.Inference.Device);
    }

    /// <summary>Loads a model file, turning "not a model" failures into messages that name the file.</summary>
    internal static ImageClassifier LoadModel(string path, (int Height, int Width)? inputSize = null, Engine.Device? device = null)
    {
        if (!File.Exists(path)) throw new ArgumentException($"model file not found: {path}");
        try
        {
            return inputSize is { } size ? ImageClassifier.Load(path, size.Height, size.Width, device) : ImageClassifier.Load(path, device);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException(e.Message.Contains(path, StringComparison.Ordinal) ? e.Message : $"{path}: not a SharpVision model file ({e.Message})", e);
        }
        catch (ArgumentException e) when (e is not UnsupportedInputSizeException) // the --input refusal names its own reason
        {
            throw new InvalidDataException($"{path}: the weights do not fit the architecture the file names ({e.Message})", e);
        }
    }

    /// <summary>Short unique names: file names, or parent/file when two files share a name.</summary>
    internal static string[] DisplayNames(IReadOnlyList<string> paths)
    {
        var files = paths.Select(p => Path.GetFileNameWithoutExtension(p)).ToArray();
        var names = files.ToArray();
        for (var i = 0; i < names.Length; i++)
        {
            if (files.Count(n => n == files[i]) < 2) continue; // count on the file names, not on those already renamed
            var parent = Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(paths[i]))) ?? "";
            names[i] = parent.Length > 0 ? $"{parent}/{names[i]}" : names[i];
        }
        for (var i = 0; i < names.Length; i++)
            if (names.Take(i).Contains(names[i])) names[i] += $" #{i + 1}";
        return names;
    }

    /// <summary>
    /// The comparison table; models with the same classes in another order are compared in the first model's order.
    /// </summary>
    private static ModelComparison Compare(IReadOnlyList<(string Name, ModelEvaluation Evaluation)> runs)
    {
        var reference = runs[0].Evaluation.Result.ClassNames;
        var results = new List<(string, EvaluationResult)>();
        foreach (var (name, e) in runs)
        {
            if (e.Result.ClassNames.SequenceEqual(reference) || e.Input.InClassOrder(reference) is not { } reordered)
            {
                results.Add((name, e.Result));
                continue;
            }
            results.Add((name, ClassificationMetrics.Compute(reordered, new EvaluationOptions { TopK = e.Result.TopK })));
        }
        return ModelComparison.Create(results);
    }

    private static EvaluationReportOptions ReportOptions(Settings s, string modelPath, string givenPath, ModelDescriptor d, ModelEvaluation e, ImageDataset dataset,
        DatasetFormat format, ModelComparison? comparison)
    {
        var details = new List<KeyValuePair<string, string>>
        {
            new("model", Path.GetFullPath(givenPath)),
            new("architecture", $"{d.Architecture}, input {d.InputChannels}×{d.InputHeight}×{d.InputWidth}, {d.Resize}, {d.Normalization}"),
            new("data", $"{Path.GetFullPath(s.Data)} ({(format == DatasetFormat.Auto ? DatasetOpener.Detect(s.Data) : format).ToString().ToLowerInvariant()}, {s.SplitDescription})"),
            new("images", $"{e.Result.Count} evaluated, {e.Skipped.Count} skipped"),
        };
        if (e.Tta is { } t) details.Add(new("test-time augmentation", $"{t.Summary.Passes - 1} augmented passes + plain ({s.TtaAugment ?? ModelEvaluatorOptions.DefaultTtaAugmentation.ToString()}, seed {s.Seed})"));
        if (e.ClassesWithoutImages.Count > 0) details.Add(new("classes without images", string.Join(", ", e.ClassesWithoutImages)));
        foreach (var (k, v) in d.Training) details.Add(new("training " + k, v));
        details.Add(new("evaluated", DateTime.Now.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)));
        var indices = e.DatasetIndices;
        return new EvaluationReportOptions
        {
            Title = Title(s.Data, d),
            Details = details,
            History = s.ValidationFolds.Count > 1 ? null : LoadHistory(modelPath), // pooled folds have one curve each, not one
            TrainingHealth = s.ValidationFolds.Count > 1 ? null : HealthFinding.LoadFromRunFolder(RunFolder(modelPath)),
            LearningRateFinder = s.ValidationFolds.Count > 1 ? null : LearningRateFinderResult.Load(RunFolder(modelPath)),
            LoadImage = i => dataset.Load(indices[i]),
            Tta = e.Tta,
            Comparison = comparison,
        };
    }

    private static string RunFolder(string modelPath) => Path.GetDirectoryName(Path.GetFullPath(modelPath)) ?? ".";

    /// <summary>The learning curves of the run the model file belongs to (history.csv beside it), or null.</summary>
    internal static IReadOnlyDictionary<string, IReadOnlyList<double>>? LoadHistory(string modelPath)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(modelPath));
        if (folder is null) return null;
        var csv = Path.Combine(folder, "history.csv");
        if (!File.Exists(csv)) return null;
        var history = History.FromCsv(File.ReadAllText(csv), csv);
        if (history.Count == 0) return null;
        return history.AllSeries().ToDictionary(kv => kv.Key, kv => (IReadOnlyList<double>)kv.Value);
    }

    private static string Title(string data, ModelDescriptor d)
    {
        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(data)));
        return $"{name} — {d.Architecture}";
    }

    /// <summary>Accuracy, top-k, loss and macro F1, one per line.</summary>
    private static string Headline(EvaluationResult r) =>
        Inv($"accuracy   {Pct(r.Accuracy)}") + Environment.NewLine +
        ("top-" + r.TopK).PadRight(11) + Pct(r.TopKAccuracy) + Environment.NewLine +
        Inv($"loss       {r.Loss:F4}") + Environment.NewLine +
        Inv($"macro F1   {r.MacroAverage.F1:F4}") + Environment.NewLine;

    private static string Describe(string name, string path, ModelDescriptor d, ModelEvaluation e, Settings s, DatasetFormat format, AugmentationSpec ttaSpec)
    {
        var r = e.Result;
        var sb = new StringBuilder();
        var shownFormat = (format == DatasetFormat.Auto ? DatasetOpener.Detect(s.Data) : format).ToString().ToLowerInvariant();
        sb.AppendLine($"Model  {name}: {path} ({d.Architecture}, {d.ClassNames.Count} classes, input {d.InputChannels}×{d.InputHeight}×{d.InputWidth})");
        sb.AppendLine($"Data   {s.Data} ({shownFormat}, {s.SplitDescription}): {r.Count} images evaluated, {e.Skipped.Count} skipped");
        if (e.ClassesWithoutImages.Count > 0) sb.AppendLine($"       classes of the model without images: {string.Join(", ", e.ClassesWithoutImages)}");
        sb.AppendLine();
        sb.Append(Headline(r));
        sb.AppendLine(Inv($"ECE        {r.Calibration.ExpectedCalibrationError:F4}"));
        sb.AppendLine();
        var width = Math.Max(5, r.Classes.Max(c => c.Name.Length));
        sb.AppendLine($"{"class".PadRight(width)}  support  accuracy  precision  recall      F1");
        foreach (var c in r.Classes)
            sb.AppendLine(c.Support == 0
                ? Inv($"{c.Name.PadRight(width)}  {c.Support,7}  {"n/a",8}  {c.Precision,9:F4}  {"n/a",6}  {"n/a",6}")
                : Inv($"{c.Name.PadRight(width)}  {c.Support,7}  {Pct(c.Accuracy),8}  {c.Precision,9:F4}  {c.Recall,6:F4}  {c.F1,6:F4}"));
        if (r.MostConfused.Length > 0)
        {
            sb.AppendLine();
            sb.AppendLine("most confused (actual → predicted: count): " +
                          string.Join(", ", r.MostConfused.Take(5).Select(p => $"{p.Actual} → {p.Predicted}: {p.Count}")));
        }
        if (e.Tta is { } tta && e.TtaResult is { } averaged)
        {
            var t = tta.Summary;
            sb.AppendLine();
            sb.AppendLine($"Test-time augmentation: {t.Passes - 1} augmented passes + the plain pass ({ttaSpec}, seed {s.Seed})");
            sb.AppendLine(Inv($"accuracy of the averaged prediction  {Pct(averaged.Accuracy)} (plain {Pct(r.Accuracy)}, mean single pass {Pct(t.MeanPassAccuracy ?? 0)})"));
            sb.AppendLine(Inv($"top-{averaged.TopK} of the averaged prediction     {Pct(averaged.TopKAccuracy)}, loss {averaged.Loss:F4}"));
            sb.AppendLine(Inv($"confidence spread per image (std)    mean {t.MeanConfidenceStd:F4}, median {t.MedianConfidenceStd:F4}, p90 {t.P90ConfidenceStd:F4}, max {t.MaxConfidenceStd:F4}"));
            sb.AppendLine(Inv($"all passes agree on                  {Pct(t.FullAgreementFraction)} of the images (mean agreement {Pct(t.MeanAgreement)})"));
        }
        sb.AppendLine();
        return sb.ToString();
    }

    private static string Pct(double v) => (v * 100).ToString("F2", CultureInfo.InvariantCulture) + "%";

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private static string SafeFileName(string name)
    {
        var invalid = Path.GetInvalidFileNameChars().Concat(new[] { '/', '\\', ' ', '#' }).ToHashSet();
        var safe = new string(name.Select(c => invalid.Contains(c) ? '_' : c).ToArray()).Trim('_');
        return safe.Length == 0 ? "model" : safe;
    }
}
