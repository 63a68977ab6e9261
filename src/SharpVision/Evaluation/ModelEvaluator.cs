using SharpVision.Data;
using SharpVision.Engine;
using SharpVision.Inference;

namespace SharpVision.Evaluation;

/// <summary>
/// Runs an <see cref="ImageClassifier"/> over a labelled <see cref="ImageDataset"/> and measures it: batched,
/// in dataset order, decoding on all cores with the model's own resizing; optional test-time augmentation. Class
/// names come from the model; the data's classes are mapped to them by name. Images that cannot be decoded are left
/// out and listed, never fatal.
/// </summary>
public static class ModelEvaluator
{
    /// <summary>Evaluates <paramref name="classifier"/> on <paramref name="dataset"/>.</summary>
    /// <param name="classifier">The model.</param>
    /// <param name="dataset">Labelled images.</param>
    /// <param name="options">Batch size, metrics, TTA; defaults when null.</param>
    /// <param name="dataName">Names the data in messages (e.g. its folder).</param>
    /// <param name="modelName">Names the model in messages (e.g. its file); default: the architecture.</param>
    /// <exception cref="ClassMismatchException">The data has a class the model does not know.</exception>
    /// <exception cref="InvalidDataException">No image of the data could be decoded.</exception>
    public static ModelEvaluation Evaluate(IImagePredictor classifier, ImageDataset dataset, ModelEvaluatorOptions? options = null,
        string? dataName = null, string? modelName = null)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        ArgumentNullException.ThrowIfNull(dataset);
        options ??= new ModelEvaluatorOptions();
        options.Validate();
        var source = dataName ?? "the data";
        var modelClasses = classifier.ClassNames;
        var labelMap = MapClasses(modelClasses, dataset.ClassNames, modelName ?? classifier.Descriptor.Architecture, source);

        var loader = new DataLoader(dataset, classifier.Preprocessor, new DataLoaderOptions
        {
            BatchSize = options.BatchSize,
            Shuffle = false,
            Workers = options.Workers,
        });
        var passes = 1 + options.TtaPasses;
        var perPass = Enumerable.Range(0, passes).Select(_ => new List<float[]>(dataset.Count)).ToArray();
        var indices = new List<int>(dataset.Count);
        var labels = new List<int>(dataset.Count);
        StandardInputPipeline? augmentation = options.TtaPasses > 0
            ? new StandardInputPipeline(Device.Cpu, Normalization.Unit, options.TtaAugmentation)
            : null;
        var generators = Enumerable.Range(1, options.TtaPasses).Select(p => new Generator(unchecked((ulong)(options.Seed + p)))).ToArray();
        try
        {
            var planned = loader.SamplesPerEpoch;
            foreach (var batch in loader.GetBatches(epoch: 0))
            {
                using (batch)
                using (Torch.NewDisposeScope())
                {
                    var images = MatchChannels(batch.Inputs, classifier.Descriptor.InputChannels);
                    perPass[0].AddRange(classifier.PredictProbabilities(images));
                    for (var p = 1; p < passes; p++)
                    {
                        // Augment in [0, 1] (Unit normalisation is the identity there), then back to the uint8 batches
                        // the classifier takes, so the model's own normalisation applies exactly as in the plain pass.
                        var augmented = augmentation!.Prepare(images, training: true, generators[p - 1]);
                        var bytes = (augmented * 255.0).Round().Clamp(0, 255).To(DType.UInt8);
                        perPass[p].AddRange(classifier.PredictProbabilities(bytes));
                    }
                    indices.AddRange(batch.Indices);
                    foreach (var i in batch.Indices) labels.Add(labelMap[dataset.Label(i)]);
                }
                options.Progress?.Invoke(indices.Count, planned);
            }
        }
        finally
        {
            foreach (var g in generators) g.Dispose();
        }
        if (indices.Count == 0)
            throw new InvalidDataException($"{source}: no image could be evaluated ({dataset.Count} listed, {dataset.Skipped.Count} skipped){Environment.NewLine}{dataset.Skipped.Format()}");

        var names = indices.Select(dataset.Name).ToArray();
        var input = new EvaluationInput { ClassNames = modelClasses, Labels = labels, Probabilities = perPass[0], ItemNames = names };
        return ModelEvaluation.FromPredictions(input, indices.ToArray(), options.TtaPasses > 0 ? perPass.Select(p => p.ToArray()).ToArray() : null,
            dataset.Skipped.Files, options.Metrics);
    }

    /// <summary>
    /// For each class of the data, the index of the model output with the same name. Classes of the model missing
    /// from the data are allowed (they get support 0); a class of the data the model does not know is an error.
    /// </summary>
    /// <exception cref="ClassMismatchException">The data has classes the model does not know; lists both differences.</exception>
    public static int[] MapClasses(IReadOnlyList<string> modelClasses, IReadOnlyList<string> dataClasses, string modelName = "model", string dataName = "the data")
    {
        ArgumentNullException.ThrowIfNull(modelClasses);
        ArgumentNullException.ThrowIfNull(dataClasses);
        var byName = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < modelClasses.Count; i++) byName.TryAdd(modelClasses[i], i);
        var onlyInData = dataClasses.Where(c => !byName.ContainsKey(c)).ToList();
        if (onlyInData.Count > 0)
        {
            var data = new HashSet<string>(dataClasses, StringComparer.Ordinal);
            throw new ClassMismatchException(modelName, dataName, onlyInData, modelClasses.Where(c => !data.Contains(c)).ToList());
        }
        return dataClasses.Select(c => byName[c]).ToArray();
    }

    /// <summary>
    /// Brings a uint8 NCHW batch to the model's channel count: RGB to grey with ITU-R BT.601 luma (as
    /// <see cref="ImageClassifier.ToBatch"/> does), grey to RGB by repeating the channel.
    /// </summary>
    public static Tensor MatchChannels(Tensor images, int channels)
    {
        ArgumentNullException.ThrowIfNull(images);
        var have = images.Shape[1];
        if (have == channels) return images.Alias();
        if (have == 1 && channels == 3) return images.Repeat(1, 3, 1, 1);
        if (have == 3 && channels == 1)
        {
            using var scope = Torch.NewDisposeScope();
            using var weights = Tensor.FromArray(new[] { 0.299f, 0.587f, 0.114f }, 1, 3, 1, 1);
            var gray = (images.To(DType.Float32) * weights).Sum(new long[] { 1 }, keepDim: true);
            return gray.Round().Clamp(0, 255).To(DType.UInt8).MoveToOuterDisposeScope();
        }
        throw new ArgumentException($"images have {have} channels and the model takes {channels}; only 1 ↔ 3 can be converted");
    }
}
