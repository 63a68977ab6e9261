using System.Globalization;
using SharpVision.Data;
using SharpVision.Inference;
using SharpVision.Models;

namespace SharpVision.Evaluation;

/// <summary>
/// Fits open-set rejection from a model's own data: class means and a shared covariance of the training features
/// (Mahalanobis) and a bank of the normalised training features (nearest neighbour), then, on validation items the model classifies correctly, each score's threshold for the target
/// acceptance. No image of an unknown class is needed; when some are given, they only pick the best score.
/// </summary>
public static class UnknownCalibrator
{
    /// <summary>Fits the detector.</summary>
    /// <param name="train">Outputs of the training items (their features fit the class means and covariance).</param>
    /// <param name="validation">Outputs of held-out items (their correct predictions set the thresholds).</param>
    /// <param name="classCount">The model's number of classes.</param>
    /// <param name="options">Target, method, shrinkage; defaults when null.</param>
    /// <param name="unknown">Optional items of none of the classes, to choose the score by AUROC.</param>
    /// <exception cref="ArgumentException">No correctly classified validation item, or a feature score requested without features.</exception>
    public static UnknownDetector Calibrate(LabelledOutputs train, LabelledOutputs validation, int classCount, UnknownCalibrationOptions? options = null,
        LabelledOutputs? unknown = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(validation);
        options ??= new UnknownCalibrationOptions();
        options.Validate();
        var correct = Enumerable.Range(0, validation.Count).Where(validation.IsCorrect).ToArray();
        if (correct.Length == 0) throw new ArgumentException("no validation item is classified correctly; a threshold cannot be chosen");
        var haveFeatures = train.Features is not null && validation.Features is not null;
        if (options.Method is { } requested && UnknownScoreNames.NeedsFeatures(requested) && !haveFeatures)
            throw new ArgumentException($"the {UnknownScoreNames.Name(requested)} score needs a model that exposes its penultimate features (a zoo model with a replaceable head)");
        var mahalanobis = haveFeatures ? MahalanobisParameters.Fit(train.Features!, train.Labels, classCount, options.Shrinkage) : null;
        var neighbours = haveFeatures ? NearestNeighbourParameters.Fit(train.Features!, options.Neighbours, options.MaxNeighbourBank, labels: train.Labels) : null;

        var draft = new UnknownDetector
        {
            Kind = UnknownScoreKind.Energy, Threshold = 0, TargetAcceptance = options.TargetAcceptance, Mahalanobis = mahalanobis, NearestNeighbour = neighbours,
        };
        var thresholds = new Dictionary<UnknownScoreKind, double>();
        foreach (var kind in UnknownScoreNames.All.Where(draft.Supports))
        {
            var scores = correct.Select(i => draft.Score(kind, validation.Logits[i], validation.FeaturesOf(i))).ToList();
            thresholds[kind] = OpenSetMetrics.ThresholdFor(scores, options.TargetAcceptance);
        }
        var chosen = options.Method ?? (haveFeatures ? UnknownScoreKind.NearestNeighbour : UnknownScoreKind.Energy);
        var facts = new Dictionary<string, string>
        {
            ["train_items"] = train.Count.ToString(CultureInfo.InvariantCulture),
            ["validation_items"] = validation.Count.ToString(CultureInfo.InvariantCulture),
            ["validation_correct"] = correct.Length.ToString(CultureInfo.InvariantCulture),
            ["calibrated_utc"] = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        };
        var detector = draft with { Thresholds = thresholds, Kind = chosen, Threshold = thresholds[chosen], Facts = facts };
        if (options.Method is null && unknown is { Count: > 0 })
        {
            var best = UnknownEvaluator.Evaluate(detector, validation, unknown).Best;
            facts["chosen_by"] = $"AUROC on {unknown.Count} unknown items";
            detector = detector with { Kind = best.Kind, Threshold = best.Threshold };
        }
        else facts["chosen_by"] = options.Method is null ? "default" : "option";
        return detector;
    }

    /// <summary>
    /// Calibrates a saved model on its own training and validation images and writes it (with the detector in its
    /// metadata) to <paramref name="outputPath"/>, or back to <paramref name="modelPath"/> (atomically) when null.
    /// </summary>
    /// <exception cref="ClassMismatchException">The data has a class the model does not know.</exception>
    public static UnknownDetector CalibrateModelFile(string modelPath, ImageDataset train, ImageDataset validation, UnknownCalibrationOptions? options = null,
        ImageDataset? unknown = null, string? outputPath = null, int batchSize = 64, Action<string>? log = null, Engine.Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(modelPath);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(validation);
        using var classifier = ImageClassifier.Load(modelPath, device);
        var classes = classifier.ClassNames;
        log?.Invoke($"open-set calibration: running {Path.GetFileName(modelPath)} over {train.Count} training and {validation.Count} validation images" +
            (unknown is null ? "" : $" and {unknown.Count} unknown images"));
        var trainOutputs = LabelledOutputs.Collect(classifier, train, ModelEvaluator.MapClasses(classes, train.ClassNames, modelPath, "the training data"), batchSize, dataName: "the training data");
        var validationOutputs = LabelledOutputs.Collect(classifier, validation, ModelEvaluator.MapClasses(classes, validation.ClassNames, modelPath, "the validation data"), batchSize,
            dataName: "the validation data");
        var unknownOutputs = unknown is null ? null : LabelledOutputs.Collect(classifier, unknown, null, batchSize, dataName: "the unknown images");
        var detector = Calibrate(trainOutputs, validationOutputs, classes.Count, options, unknownOutputs);
        ModelFile.Save(outputPath ?? modelPath, classifier.Model, classifier.Descriptor with { Unknown = detector });
        return detector;
    }

    /// <summary>
    /// Fits open-set rejection into a training run's best and final model files, on the run's own training and
    /// validation images (what <c>sharpvision train</c> and <c>Learner.Fit</c> do at the end). Only the primary process
    /// of a distributed run writes. A model that classifies no validation image correctly is left uncalibrated and
    /// says so; the run itself stands.
    /// </summary>
    public static void CalibrateRun(Training.TrainingRunResult result, UnknownCalibrationOptions settings, Action<string> log)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.TrainData is not { } train || result.ValidationData is not { } validation) return;
        if (Environment.GetEnvironmentVariable("RANK") is { } rank && rank != "0") return;
        settings.Validate();
        foreach (var path in new[] { result.BestModelPath, result.FinalModelPath }.Distinct())
        {
            if (!File.Exists(path)) continue;
            try
            {
                var detector = CalibrateModelFile(path, train, validation, settings, log: log);
                log($"  unknown      {Path.GetFileName(path)}: {detector}");
            }
            catch (ArgumentException e)
            {
                log($"  unknown      {Path.GetFileName(path)} not calibrated: {e.Message}");
            }
        }
    }
}
