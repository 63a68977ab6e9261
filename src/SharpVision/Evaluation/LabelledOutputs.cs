using SharpVision.Data;
using SharpVision.Engine;
using SharpVision.Inference;

namespace SharpVision.Evaluation;

/// <summary>
/// A classifier's raw outputs over a dataset: logits, penultimate features (null when the model exposes none) and the
/// labels as model class indices, in dataset order. Images that cannot be decoded are left out (the dataset lists them).
/// </summary>
/// <param name="Logits">N rows of logits.</param>
/// <param name="Features">N rows of features, or null.</param>
/// <param name="Labels">N model class indices (0 for a set of unknown images, whose label means nothing).</param>
/// <param name="ItemNames">N item names (file paths).</param>
public sealed record LabelledOutputs(float[][] Logits, float[][]? Features, int[] Labels, string[] ItemNames)
{
    /// <summary>Number of items.</summary>
    public int Count => Labels.Length;

    /// <summary>The predicted class (arg-max logit; for one sigmoid output, 1 when the logit is positive).</summary>
    public int Predicted(int item)
    {
        var row = Logits[item];
        if (row.Length == 1) return row[0] > 0 ? 1 : 0;
        var best = 0;
        for (var c = 1; c < row.Length; c++)
            if (row[c] > row[best]) best = c;
        return best;
    }

    /// <summary>Whether item <paramref name="item"/> is classified correctly.</summary>
    public bool IsCorrect(int item) => Predicted(item) == Labels[item];

    /// <summary>The features of one item, or an empty span when the model exposes none.</summary>
    public ReadOnlySpan<float> FeaturesOf(int item) => Features is null ? default : Features[item];

    /// <summary>
    /// Runs <paramref name="classifier"/> over <paramref name="dataset"/> (batched, decoding on
    /// <paramref name="workers"/> threads). <paramref name="labelMap"/> maps the data's labels to model classes
    /// (<see cref="ModelEvaluator.MapClasses"/>); null gives every item label 0.
    /// </summary>
    /// <exception cref="InvalidDataException">No image of the data could be decoded.</exception>
    public static LabelledOutputs Collect(ImageClassifier classifier, ImageDataset dataset, int[]? labelMap, int batchSize = 64,
        int? workers = null, string? dataName = null, Action<int, int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        ArgumentNullException.ThrowIfNull(dataset);
        var loader = new DataLoader(dataset, classifier.Preprocessor, new DataLoaderOptions
        {
            BatchSize = batchSize,
            Shuffle = false,
            Workers = workers ?? Environment.ProcessorCount,
        });
        var logits = new List<float[]>(dataset.Count);
        List<float[]>? features = null;
        var labels = new List<int>(dataset.Count);
        var names = new List<string>(dataset.Count);
        var planned = loader.SamplesPerEpoch;
        foreach (var batch in loader.GetBatches(epoch: 0))
        {
            using (batch)
            using (Torch.NewDisposeScope())
            {
                var images = ModelEvaluator.MatchChannels(batch.Inputs, classifier.Descriptor.InputChannels);
                var outputs = classifier.PredictOutputs(images);
                logits.AddRange(outputs.Logits);
                if (outputs.Features is not null) (features ??= new List<float[]>(dataset.Count)).AddRange(outputs.Features);
                foreach (var i in batch.Indices)
                {
                    labels.Add(labelMap is null ? 0 : labelMap[dataset.Label(i)]);
                    names.Add(dataset.Name(i));
                }
            }
            progress?.Invoke(labels.Count, planned);
        }
        if (labels.Count == 0)
            throw new InvalidDataException($"{dataName ?? "the data"}: no image could be decoded ({dataset.Count} listed, {dataset.Skipped.Count} skipped)");
        return new LabelledOutputs(logits.ToArray(), features?.ToArray(), labels.ToArray(), names.ToArray());
    }
}
