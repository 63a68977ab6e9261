using SharpVision.Data;
using SharpVision.Engine;
using SharpVision.Layers;
using SharpVision.Models;
using SharpVision.Training;
using SharpVision.Training.Optimizers;
using SharpVision.Transfer.Features;
using SharpVision.Transfer;

namespace SharpVision.Evaluation;

/// <summary>
/// Finds images whose label looks wrong (confident learning, Northcutt et al. 2021, as in cleanlab): a frozen
/// pretrained backbone's pooled features are cached once, k linear heads are trained on k−1 folds and score the
/// held-out fold, so every image gets class probabilities from a head that never saw it. Class j's threshold t_j is
/// the mean probability of j over the images labelled j; an image labelled y whose most probable class among those
/// reaching their thresholds is some j ≠ y is a suspected label issue. Web-scraped sets such as Food-101's training
/// split carry such noise by design; the audit lists it for a person to check, or for <c>train --exclude</c>.
/// </summary>
public static class LabelAudit
{
    /// <summary>
    /// Caches the features of every image of <paramref name="dataset"/> through <paramref name="model"/>'s frozen
    /// backbone (eval mode; <paramref name="cacheOptions"/> may name a cache file to reuse) and audits its labels.
    /// </summary>
    public static LabelAuditResult Run(IClassifierModel model, ImageDataset dataset, ImagePreprocessor preprocessor, Normalization normalization,
        LabelAuditOptions options, FeatureCacheOptions? cacheOptions = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        using var cache = FeatureCache.Build(model, dataset, preprocessor, normalization, (cacheOptions ?? new FeatureCacheOptions()) with { AugmentedPasses = 0, Augmentation = null });
        var labels = cache.Labels.ToArray<long>().Select(l => (int)l).ToArray();
        var names = cache.Indices.Select(dataset.Name).ToArray();
        var (l2, scores, probabilities) = Fit(cache.Features, labels, dataset.ClassNames.Count, options);
        var result = FindIssues(probabilities, labels, names, dataset.ClassNames);
        // Report dataset indices, not cache rows (the same unless the cache is of a subset).
        var issues = result.Issues.Select(i => i with { Index = cache.Indices[i.Index] }).ToArray();
        return new LabelAuditResult(result.ClassNames, result.Labels, result.Probabilities, result.Thresholds, result.ConfidentJoint, issues)
        {
            L2 = l2,
            L2Scores = scores,
        };
    }

    /// <summary>
    /// Class probabilities of every row of <paramref name="features"/> [N, D] from linear heads trained without it:
    /// stratified, seeded folds; each fold's head starts from zero; its features standardised with its training rows' mean and deviation; a
    /// full-batch softmax regression with an L2 penalty.
    /// </summary>
    /// <remarks>With <see cref="LabelAuditOptions.L2"/> null, the candidate penalty with the lowest out-of-fold log-loss is used.</remarks>
    public static float[][] OutOfFoldProbabilities(Tensor features, IReadOnlyList<int> labels, int classes, LabelAuditOptions options) =>
        Fit(features, labels, classes, options).Probabilities;

    /// <summary>The out-of-fold probabilities with the given or the best candidate penalty, and the log-loss of each candidate tried.</summary>
    public static (double L2, IReadOnlyList<(double L2, double LogLoss)> Scores, float[][] Probabilities) Fit(Tensor features, IReadOnlyList<int> labels,
        int classes, LabelAuditOptions options)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (features.Dim != 2 || features.Shape[0] != labels.Count)
            throw new ArgumentException($"label audit: features must be [N, D] with N = {labels.Count} labels, got [{string.Join(", ", features.Shape)}]", nameof(features));
        if (labels.Any(l => l < 0 || l >= classes)) throw new ArgumentException($"label audit: labels must be in [0, {classes})", nameof(labels));
        if (options.L2 is { } given) return (given, Array.Empty<(double, double)>(), CrossValidate(features, labels, classes, options, given));
        var scores = new List<(double, double)>();
        (double L2, double Loss, float[][] P) best = (double.NaN, double.PositiveInfinity, Array.Empty<float[]>());
        foreach (var l2 in options.L2Candidates)
        {
            var p = CrossValidate(features, labels, classes, options, l2);
            var loss = LabelAuditResult.LogLoss(p, labels);
            scores.Add((l2, loss));
            if (loss < best.Loss) best = (l2, loss, p);
        }
        return (best.L2, scores, best.P);
    }

    private static float[][] CrossValidate(Tensor features, IReadOnlyList<int> labels, int classes, LabelAuditOptions options, double l2)
    {
        var folds = StratifiedFolds(labels, classes, options.Folds, options.Seed);
        var dim = (int)features.Shape[1];
        var result = new float[labels.Count][];
        for (var f = 0; f < options.Folds; f++)
        {
            var trainRows = Enumerable.Range(0, labels.Count).Where(i => folds[i] != f).ToArray();
            var testRows = Enumerable.Range(0, labels.Count).Where(i => folds[i] == f).ToArray();
            if (testRows.Length == 0) continue;
            using var scope = Torch.NewDisposeScope();
            var x = features.IndexSelect(0, Tensor.FromArray(trainRows.Select(i => (long)i).ToArray())).To(DType.Float32);
            var mean = x.Mean(new long[] { 0 }, keepDim: true);
            var rawStd = x.Std(new long[] { 0 }, keepDim: true);
            // A feature (nearly) constant on the training rows must not be blown up on the held-out ones.
            var std = rawStd.Clamp(min: Math.Max(1e-6, 0.01 * rawStd.Mean().Item()));
            x = (x - mean) / std;
            var test = (features.IndexSelect(0, Tensor.FromArray(testRows.Select(i => (long)i).ToArray())).To(DType.Float32) - mean) / std;
            var y = Tensor.FromArray(trainRows.Select(i => (long)labels[i]).ToArray());

            using var head = new Linear(dim, classes);
            // The regression is convex: start from zero, which also keeps the shared generator out of it.
            Init.Constant(head.Weight.Value, 0);
            Init.Constant(head.Bias!.Value, 0);
            // Adam with a coupled L2 penalty converges to the regularised softmax regression, whose probabilities are
            // calibrated enough for per-class thresholds (decoupled decay left them near 0/1 here).
            using var optimizer = new Adam(new[] { new ParameterGroup(head.NamedParameters().Select(p => new NamedTensor(p.Name, p.Parameter.Value))) },
                options.LearningRate, weightDecay: l2);
            using var loss = new LossFunction();
            for (var step = 0; step < options.Steps; step++)
            {
                using var stepScope = Torch.NewDisposeScope();
                optimizer.ZeroGrad();
                loss.Compute(head.Call(x), y).Backward();
                optimizer.Step();
            }
            using (Torch.NoGrad())
            {
                var p = head.Call(test).Softmax(1).ToArray<float>();
                for (var r = 0; r < testRows.Length; r++) result[testRows[r]] = p.AsSpan(r * classes, classes).ToArray();
            }
        }
        return result;
    }

    /// <summary>
    /// Confident learning on out-of-fold <paramref name="probabilities"/>: per-class thresholds, the confident joint and
    /// the issues (the least likely given label first).
    /// </summary>
    public static LabelAuditResult FindIssues(IReadOnlyList<float[]> probabilities, IReadOnlyList<int> labels, IReadOnlyList<string> names,
        IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(classNames);
        var k = classNames.Count;
        if (probabilities.Count != labels.Count || names.Count != labels.Count)
            throw new ArgumentException($"label audit: {probabilities.Count} probability rows, {labels.Count} labels and {names.Count} names must agree");
        if (probabilities.Any(p => p is null || p.Length != k)) throw new ArgumentException($"label audit: every probability row must have {k} classes");

        var thresholds = new double[k];
        var counts = new int[k];
        for (var i = 0; i < labels.Count; i++)
        {
            thresholds[labels[i]] += probabilities[i][labels[i]];
            counts[labels[i]]++;
        }
        // A class with no images can never be confidently suggested.
        for (var j = 0; j < k; j++) thresholds[j] = counts[j] == 0 ? double.PositiveInfinity : thresholds[j] / counts[j];

        var joint = new int[k, k];
        var issues = new List<LabelIssue>();
        for (var i = 0; i < labels.Count; i++)
        {
            var p = probabilities[i];
            var likely = -1;
            for (var j = 0; j < k; j++)
            {
                if (p[j] >= thresholds[j] && (likely < 0 || p[j] > p[likely])) likely = j;
            }
            if (likely < 0) continue;
            joint[labels[i], likely]++;
            if (likely != labels[i]) issues.Add(new LabelIssue(i, names[i], labels[i], likely, p[labels[i]], p[likely]));
        }
        var ranked = issues.OrderBy(x => x.GivenProbability).ThenBy(x => x.Index).ToArray();
        return new LabelAuditResult(classNames, labels, probabilities, thresholds, joint, ranked);
    }

    /// <summary>Fold of every row: each class's rows are shuffled (seeded) and dealt round-robin, so every fold keeps the class mix.</summary>
    internal static int[] StratifiedFolds(IReadOnlyList<int> labels, int classes, int folds, ulong seed)
    {
        var result = new int[labels.Count];
        for (var c = 0; c < classes; c++)
        {
            var members = Enumerable.Range(0, labels.Count).Where(i => labels[i] == c).ToArray();
            new SeededRandom((long)seed, stream: 0xA0D17, substream: c).Shuffle(members.AsSpan());
            for (var m = 0; m < members.Length; m++) result[members[m]] = (m + c) % folds;
        }
        return result;
    }
}
