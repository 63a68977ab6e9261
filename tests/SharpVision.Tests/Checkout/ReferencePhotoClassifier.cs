using SharpVision.Checkout;
using SharpVision.Imaging;

namespace SharpVision.Tests.Checkout;

/// <summary>
/// A stand-in for a trained model in the camera test: it decodes whatever the browser sends (JPEG or PNG, with the
/// library's decoder) and names the class whose reference photo is nearest as a 16×16 thumbnail (softmax over negative
/// mean squared differences). Given one real food5 photo per class, it recognises those photos after a trip through a
/// fake camera, a canvas and JPEG — which is what the browser test needs to prove; it says nothing about accuracy.
/// </summary>
internal sealed class ReferencePhotoClassifier : IImageClassifier
{
    private const int Thumb = 16;
    private readonly (string Class, byte[] Pixels)[] _references;
    private readonly double? _unknownBeyond;

    /// <param name="photoByClass">One reference photo per class.</param>
    /// <param name="unknownBeyond">A photo farther than this mean squared difference from every reference is "unknown" (open-set), as a calibrated model would say.</param>
    public ReferencePhotoClassifier(IReadOnlyDictionary<string, string> photoByClass, double? unknownBeyond = null)
    {
        _unknownBeyond = unknownBeyond;
        _references = photoByClass.Select(kv => (kv.Key, Thumbnail(ImageDecoder.DecodeFile(kv.Value)))).ToArray();
        Info = new ClassifierInfo("reference-photos", _references.Select(r => r.Class).ToList(), 64, 64, new Dictionary<string, double>());
    }

    public ClassifierInfo Info { get; }

    public IReadOnlyList<ClassificationOutcome> ClassifyBatch(IReadOnlyList<EncodedImage> images, int topK) => images.Select(img =>
    {
        byte[] thumb;
        try
        {
            thumb = Thumbnail(ImageDecoder.Decode(img.Data, img.Name));
        }
        catch (InvalidImageException e)
        {
            return ClassificationOutcome.Failure(e.Reason);
        }
        // Temperature 100: the same photo (camera and JPEG noise, MSE of tens) is near certain; another photo (MSE of thousands) is not.
        var distances = _references.Select(r => MeanSquaredDifference(thumb, r.Pixels)).ToArray();
        var logits = distances.Select(d => -d / 100.0).ToArray();
        var max = logits.Max();
        var exp = logits.Select(l => Math.Exp(l - max)).ToArray();
        var sum = exp.Sum();
        return ClassificationOutcome.Success(_references.Select((r, i) => new ClassProbability(r.Class, (float)(exp[i] / sum)))
            .OrderByDescending(p => p.Probability).Take(topK).ToList(), known: !(distances.Min() > _unknownBeyond));
    }).ToList();

    private static byte[] Thumbnail(RgbImage image) => ImageResizer.Resize(image, Thumb, Thumb).Pixels;

    private static double MeanSquaredDifference(byte[] a, byte[] b)
    {
        double sum = 0;
        for (var i = 0; i < a.Length; i++) sum += (a[i] - b[i]) * (a[i] - b[i]);
        return sum / a.Length;
    }
}
