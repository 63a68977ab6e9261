using System.Globalization;
using SharpVision.Data;
using SharpVision.Evaluation;
using SharpVision.Inference;
using SharpVision.Models;

namespace SharpVision;

/// <summary>
/// An evaluation run (what <c>sharpvision evaluate</c> does before it reports): the held-out images of a training
/// run — its stratified validation split or its cross-validation folds — scored by the model that held them out.
/// With several folds, each fold's images are scored by that fold's model (its path has <see cref="FoldPlaceholder"/>)
/// and the folds are pooled (<see cref="PooledEvaluation"/>), so each image counts once.
/// </summary>
public static class EvaluationRun
{
    /// <summary>Stands for the fold's number in a model path when several folds are pooled.</summary>
    public const string FoldPlaceholder = "{fold}";

    /// <summary>A model path with <see cref="FoldPlaceholder"/> replaced by the fold's number (unchanged without a fold).</summary>
    public static string ModelPath(string template, int? fold) =>
        fold is { } k ? template.Replace(FoldPlaceholder, k.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal) : template;

    /// <summary>
    /// The images to score: one part per fold of <paramref name="folds"/> (or one part: the stratified validation
    /// split when <paramref name="validationSplit"/> &gt; 0, else the whole data set), and all parts pooled in order
    /// (what report galleries index into). <paramref name="splitSeed"/> is the training run's seed.
    /// </summary>
    public static (ImageDataset Pooled, IReadOnlyList<ImageDataset> Parts) HeldOut(ImageDataset dataset, IReadOnlyList<CrossValidationFold> folds,
        double validationSplit, long splitSeed)
    {
        if (folds.Count > 0)
        {
            var held = folds.Select(f => DatasetSplit.Fold(dataset, f, splitSeed).Validation).ToArray();
            ImageDataset pooled = held.Length > 1 ? new SubsetDataset(dataset, held.SelectMany(h => h.Indices).ToArray()) : held[0];
            return (pooled, held);
        }
        if (validationSplit > 0) dataset = DatasetSplit.Stratified(dataset, validationSplit, splitSeed).Validation;
        return (dataset, [dataset]);
    }

    /// <summary>
    /// Scores <paramref name="parts"/> (from <see cref="HeldOut"/>) with the model of <paramref name="modelTemplate"/>:
    /// part p by the model of fold <paramref name="foldIndices"/>[p] (null = no fold), pooled when there are several.
    /// <paramref name="load"/> opens a model file (libtorch or ONNX Runtime); <paramref name="name"/> and
    /// <paramref name="dataName"/> only label the progress lines written to <paramref name="log"/>.
    /// </summary>
    public static (ModelEvaluation Evaluation, ModelDescriptor Descriptor) Evaluate(string modelTemplate, string name, IReadOnlyList<ImageDataset> parts,
        IReadOnlyList<int?> foldIndices, Func<string, IImagePredictor> load, ModelEvaluatorOptions options, string dataName, Action<string> log)
    {
        ArgumentNullException.ThrowIfNull(load);
        if (parts.Count == 0 || parts.Count != foldIndices.Count) throw new ArgumentException("one fold index (or null) per part", nameof(foldIndices));
        var evaluations = new List<ModelEvaluation>();
        ModelDescriptor? descriptor = null;
        for (var p = 0; p < parts.Count; p++)
        {
            var path = ModelPath(modelTemplate, foldIndices[p]);
            using var classifier = load(path);
            var where = foldIndices[p] is { } k ? $"fold {k}'s {parts[p].Count}" : parts[p].Count.ToString(CultureInfo.InvariantCulture);
            log($"evaluating {name} ({classifier.Descriptor.Architecture}) on {where} images of {dataName}…");
            evaluations.Add(ModelEvaluator.Evaluate(classifier, parts[p], options, dataName, path));
            descriptor ??= classifier.Descriptor;
        }
        var evaluation = evaluations.Count == 1 ? evaluations[0]
            : PooledEvaluation.Combine(evaluations, parts.Select(d => d.Count).ToArray(), options.Metrics);
        return (evaluation, descriptor!);
    }
}
