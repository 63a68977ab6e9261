using SharpVision.Data;
using SharpVision.Engine;
using SharpVision.Imaging;
using SharpVision.Models;

namespace SharpVision.Inference;

/// <summary>
/// A classifier of photos behind predict, evaluate and serve, whatever runs the network: <see cref="ImageClassifier"/>
/// (libtorch) or an ONNX Runtime session (SharpVision.Onnx). Preprocessing comes from <see cref="Descriptor"/>.
/// </summary>
public interface IImagePredictor : IDisposable
{
    /// <summary>Classes, input size, resize mode and normalisation of the model.</summary>
    ModelDescriptor Descriptor { get; }

    /// <summary>Class names in output order.</summary>
    IReadOnlyList<string> ClassNames { get; }

    /// <summary>Resizing to the model's input.</summary>
    ImagePreprocessor Preprocessor { get; }

    /// <summary>Class probabilities [N, C] for a prepared uint8 NCHW batch (as the data loader yields it).</summary>
    float[][] PredictProbabilities(Tensor batch);

    /// <summary>Class probabilities for photos (one row per image).</summary>
    float[][] PredictProbabilities(IReadOnlyList<RgbImage> images);

    /// <summary>The <paramref name="k"/> most likely classes of each photo, most likely first.</summary>
    IReadOnlyList<Prediction>[] Predict(IReadOnlyList<RgbImage> images, int k = 3) =>
        PredictProbabilities(images).Select(p => TopK(p, k)).ToArray();

    /// <summary>
    /// The <paramref name="k"/> most likely classes of each photo and whether it is one of the classes at all. A
    /// predictor without open-set calibration (no <see cref="ModelDescriptor.Unknown"/>) calls every photo known.
    /// </summary>
    IReadOnlyList<Classification> Classify(IReadOnlyList<RgbImage> images, int k = 3) =>
        Predict(images, k).Select(p => new Classification(p, true, null)).ToList();

    /// <summary>The k most likely classes of one probability row.</summary>
    IReadOnlyList<Prediction> TopK(float[] probabilities, int k) => Rank(ClassNames, probabilities, k);

    /// <summary>The k most likely classes of one probability row, most likely first (ties: lower index first).</summary>
    static IReadOnlyList<Prediction> Rank(IReadOnlyList<string> classNames, float[] probabilities, int k) =>
        probabilities.Select((p, i) => new Prediction(i, classNames[i], p))
            .OrderByDescending(p => p.Probability).ThenBy(p => p.ClassIndex).Take(Math.Max(1, k)).ToList();
}
