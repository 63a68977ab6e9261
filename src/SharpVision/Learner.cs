using System.Globalization;
using SharpVision.Data;
using SharpVision.Engine.IO;
using SharpVision.Evaluation;
using SharpVision.Imaging;
using SharpVision.Inference;
using SharpVision.Reports;
using SharpVision.Training;
using SharpVision.Training.Schedules;

namespace SharpVision;

/// <summary>
/// The short way to train and use an image classifier from C# — fastai's Learner, Keras's fit: a folder of photos
/// (one sub-folder per class) and <see cref="LearnerOptions"/> in; <see cref="Fit"/> or <see cref="FineTune"/>;
/// then <see cref="Evaluate"/>, <see cref="Predict"/> and <see cref="Save"/>. It runs exactly what
/// <c>sharpvision train</c> runs (validation split, augmentation, schedule, best and last checkpoints, resume,
/// history, curves, TensorBoard), so the same settings and seed give the same model either way.
/// </summary>
/// <example>
/// <code>
/// var learner = Learner.FromFolder("photos", new LearnerOptions { Model = "cafe-cnn", ImageSize = 64, Seed = 1 });
/// var result = learner.Fit(epochs: 10);
/// Console.WriteLine(learner.Predict("donut.jpg")[0]);
/// </code>
/// </example>
public sealed class Learner
{
    private Learner(string dataFolder, LearnerOptions options)
    {
        DataFolder = dataFolder;
        Options = options;
    }

    /// <summary>The training photos: one sub-folder per class.</summary>
    public string DataFolder { get; }

    /// <summary>The settings.</summary>
    public LearnerOptions Options { get; }

    /// <summary>The last run's result (null before <see cref="Fit"/> or <see cref="FineTune"/>).</summary>
    public TrainingRunResult? Result { get; private set; }

    /// <summary>The best model file of the last run.</summary>
    /// <exception cref="InvalidOperationException">Nothing was trained yet.</exception>
    public string ModelPath => Result?.BestModelPath ?? throw new InvalidOperationException("train first: call Fit or FineTune");

    /// <summary>Where messages go (default: the console).</summary>
    public Action<string> Log { get; set; } = Console.WriteLine;

    /// <summary>A learner for the class-per-folder photos in <paramref name="folder"/>.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="ArgumentException">A setting is out of range; the message names it.</exception>
    public static Learner FromFolder(string folder, LearnerOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"no such folder of photos: {folder}");
        options ??= new LearnerOptions();
        if (options.ValidationSplit is < 0 or >= 1) throw new ArgumentException($"ValidationSplit must be in [0, 1), got {options.ValidationSplit}");
        if (options.BatchSize < 1) throw new ArgumentException($"BatchSize must be at least 1, got {options.BatchSize}");
        if (options.ImageSize < 0) throw new ArgumentException($"ImageSize must not be negative, got {options.ImageSize}");
        if (options.LearningRate is <= 0) throw new ArgumentException($"LearningRate must be positive, got {options.LearningRate}");
        return new Learner(folder, options);
    }

    /// <summary>Trains the model from scratch for <paramref name="epochs"/> epochs; the best epoch's model is kept.</summary>
    public TrainingRunResult Fit(int epochs, CancellationToken cancellation = default)
    {
        if (epochs < 1) throw new ArgumentException($"epochs must be at least 1, got {epochs}");
        return Run(RunOptions() with { Epochs = epochs }, cancellation);
    }

    /// <summary>
    /// Transfer learning, fastai's <c>fine_tune</c>: loads <paramref name="pretrained"/> (a weights name such as
    /// "mobilenet_v2", a .safetensors file or a PyTorch .pth), trains the new head with the backbone frozen for
    /// <paramref name="headEpochs"/>, then unfreezes and trains for <paramref name="unfrozenEpochs"/> at
    /// <paramref name="unfrozenLearningRate"/> (default: a tenth of the head's rate) with discriminative rates that
    /// fall by <paramref name="discriminativeScale"/> from the head to the first block.
    /// </summary>
    public TrainingRunResult FineTune(string pretrained, int headEpochs, int unfrozenEpochs, double? unfrozenLearningRate = null,
        double? discriminativeScale = null, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pretrained);
        if (headEpochs < 1 || unfrozenEpochs < 0) throw new ArgumentException($"fine-tuning needs at least 1 head epoch and 0 or more unfrozen epochs, got {headEpochs} and {unfrozenEpochs}");
        return Run(RunOptions() with
        {
            Epochs = headEpochs + unfrozenEpochs,
            Pretrained = pretrained,
            FineTune = (headEpochs, unfrozenEpochs),
            FineTuneLearningRate = unfrozenLearningRate,
            DiscriminativeScale = discriminativeScale,
        }, cancellation);
    }

    /// <summary>
    /// Scores the best model on the held-out validation images (the same stratified split and seed it trained with;
    /// all images when <see cref="LearnerOptions.ValidationSplit"/> is 0) and, with <paramref name="reportDirectory"/>,
    /// writes the self-contained HTML report (confusion, confidence, calibration, galleries) there.
    /// </summary>
    public ModelEvaluation Evaluate(string? reportDirectory = null)
    {
        using var classifier = ImageClassifier.Load(ModelPath, Options.Device);
        ImageDataset data = DatasetOpener.Open(DataFolder, DatasetFormat.Folder, "train");
        if (Options.ValidationSplit > 0) data = DatasetSplit.Stratified(data, Options.ValidationSplit, (long)Options.Seed).Validation;
        var evaluation = ModelEvaluator.Evaluate(classifier, data, new ModelEvaluatorOptions { BatchSize = Options.BatchSize }, DataFolder, ModelPath);
        if (reportDirectory is not null)
        {
            var report = EvaluationReport.Write(reportDirectory, evaluation.Result, new EvaluationReportOptions
            {
                Title = $"{classifier.Descriptor.Architecture} on {Path.GetFileName(Path.TrimEndingDirectorySeparator(DataFolder))}",
                History = Result?.History.AllSeries().ToDictionary(kv => kv.Key, kv => (IReadOnlyList<double>)kv.Value),
                LoadImage = i => data.Load(evaluation.DatasetIndices[i]),
            });
            Log($"report: {report.HtmlPath}");
        }
        return evaluation;
    }

    /// <summary>The <paramref name="k"/> most probable classes of one photo, most probable first.</summary>
    public IReadOnlyList<Prediction> Predict(string imagePath, int k = 3)
    {
        using var classifier = ImageClassifier.Load(ModelPath, Options.Device);
        var image = ImageDecoder.DecodeFile(imagePath);
        return classifier.Predict(new[] { image }, k)[0];
    }

    /// <summary>Copies the best model file (weights, classes and preprocessing) to <paramref name="path"/>, atomically.</summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var bytes = File.ReadAllBytes(ModelPath);
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null) Directory.CreateDirectory(dir);
        AtomicFile.WriteAllBytes(path, bytes);
    }

    /// <summary>The equivalent <see cref="TrainingRunOptions"/> (what <c>sharpvision train</c> builds from its flags).</summary>
    public TrainingRunOptions RunOptions() => new()
    {
        DataPath = DataFolder,
        Format = DatasetFormat.Folder,
        Model = Options.Model,
        InputHeight = Options.ImageSize,
        InputWidth = Options.ImageSize,
        Resize = Options.Resize,
        ValidationSplit = Options.ValidationSplit,
        BatchSize = Options.BatchSize,
        Optimizer = Options.Optimizer,
        LearningRate = Options.LearningRate,
        WeightDecay = Options.WeightDecay,
        Schedule = Options.Schedule ?? new ConstantSchedule(),
        Augmentation = Options.Augmentation,
        LabelSmoothing = Options.LabelSmoothing,
        Seed = Options.Seed,
        OutputDirectory = Options.OutputDirectory,
        Resume = Options.Resume,
        CacheImages = Options.CacheImages,
        Threads = Options.Threads,
        Device = Options.Device,
        Progress = Options.Progress,
        CommandLine = string.Create(CultureInfo.InvariantCulture, $"Learner.FromFolder({DataFolder})"),
    };

    private TrainingRunResult Run(TrainingRunOptions options, CancellationToken cancellation)
    {
        Result = TrainingRun.Run(options, Log, cancellation: cancellation);
        if (Options.UnknownTarget is { } target) UnknownCalibrator.CalibrateRun(Result, new UnknownCalibrationOptions { TargetAcceptance = target }, Log);
        return Result;
    }
}
