using SharpVision.Data;
using SharpVision.Engine;
using SharpVision.Imaging;
using SharpVision.Inference;
using SharpVision.Reports.Charts;

namespace SharpVision.Explain;

/// <summary>
/// Explanations for a trained classifier, with the model's own preprocessing: feature maps of a layer, Grad-CAM
/// for a class, and filter visualisation. Layers are named as in <see cref="LayerCatalog.Resolve"/> ("first",
/// "middle", "last", "conv2d_2", "layer4.1.conv2"). Does not own the classifier.
/// </summary>
public sealed class ImageExplainer
{
    private readonly StandardInputPipeline pipeline;
    private LayerCatalog? layers;

    /// <summary>Wraps a classifier (its model stays in eval mode).</summary>
    public ImageExplainer(ImageClassifier classifier)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        Classifier = classifier;
        pipeline = new StandardInputPipeline(classifier.Device, classifier.Descriptor.Normalization);
    }

    /// <summary>The classifier explained.</summary>
    public ImageClassifier Classifier { get; }

    /// <summary>The model's layers at its input size (found by one probe pass on first use).</summary>
    public LayerCatalog Layers
    {
        get
        {
            var d = Classifier.Descriptor;
            return layers ??= LayerCatalog.Create(Classifier.Model, d.InputChannels, d.InputHeight, d.InputWidth);
        }
    }

    /// <summary>The image as the network sees it: resized (and grey for one-channel models), normalised, [1, C, H, W] float. The caller disposes it.</summary>
    public Tensor Prepare(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        using var scope = Torch.NewDisposeScope();
        var batch = Classifier.ToBatch(new[] { image }).To(Classifier.Device);
        return pipeline.Normalize(batch.To(DType.Float32) / 255.0).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The picture to draw heat maps on: the original image when the model stretches it (scaled so that its longer side
    /// is between <paramref name="minSide"/> and <paramref name="maxSide"/>), otherwise the resized model input (crop
    /// or letterbox), which is what the heat map's coordinates refer to.
    /// </summary>
    public RgbImage View(RgbImage image, int minSide = 256, int maxSide = 512)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (minSide < 1 || maxSide < minSide) throw new ArgumentOutOfRangeException(nameof(minSide), $"need 1 ≤ minSide ≤ maxSide, got {minSide}, {maxSide}");
        var view = Classifier.Preprocessor.Mode == ResizeMode.Stretch ? image : Classifier.Preprocessor.Process(image);
        var longer = Math.Max(view.Width, view.Height);
        if (longer > maxSide || longer < minSide)
        {
            var s = (double)Math.Clamp(longer, minSide, maxSide) / longer;
            view = ImageOps.Resize(view, Math.Max(1, (int)Math.Round(view.Width * s)), Math.Max(1, (int)Math.Round(view.Height * s)));
        }
        return ImageOps.ToRgb(view);
    }

    /// <summary>The activations of <paramref name="layer"/> for <paramref name="image"/>.</summary>
    public FeatureMapCapture FeatureMaps(RgbImage image, string layer)
    {
        var target = Layers.Resolve(layer);
        using var x = Prepare(image);
        return Explain.FeatureMaps.Capture(Classifier.Model, x, target);
    }

    /// <summary>Grad-CAM at <paramref name="layer"/> for the class named <paramref name="className"/> (null: the predicted class).</summary>
    /// <exception cref="ArgumentException">Unknown layer or class; the message lists the valid ones.</exception>
    public GradCamResult GradCam(RgbImage image, string layer = "last", string? className = null)
    {
        var target = Layers.Resolve(layer);
        int? classIndex = className is null ? null : ClassIndex(className);
        using var x = Prepare(image);
        return Explain.GradCam.Compute(Classifier.Model, x, target, classIndex);
    }

    /// <summary>The Grad-CAM heat map blended over <see cref="View"/> of the image (jet colours).</summary>
    public RgbImage GradCamOverlay(RgbImage image, GradCamResult cam, double alpha = 0.45)
    {
        ArgumentNullException.ThrowIfNull(cam);
        return HeatmapOverlay.Render(View(image), cam.Normalized(), alpha, normalize: false);
    }

    /// <summary>The Grad-CAM figure: the input, the heat map over it and a colour bar, under a title.</summary>
    public RgbImage GradCamFigure(RgbImage image, GradCamResult cam, string title, double alpha = 0.45) =>
        Reports.Charts.GradCamFigure.Render(View(image), GradCamOverlay(image, cam, alpha), title);

    /// <summary>The pattern that maximises channel <paramref name="channel"/> of <paramref name="layer"/>.</summary>
    public FilterVisualization Filter(string layer, int channel, FilterVisualizationOptions? options = null)
    {
        var target = Layers.Resolve(layer);
        var d = Classifier.Descriptor;
        return FilterVisualizer.Visualize(Classifier.Model, target, channel, d.InputChannels, d.InputHeight, d.InputWidth, pipeline.Normalize, options);
    }

    /// <summary>The index of a class name of the model.</summary>
    /// <exception cref="ArgumentException">Not a class of the model; lists the classes.</exception>
    public int ClassIndex(string className)
    {
        ArgumentNullException.ThrowIfNull(className);
        var names = Classifier.ClassNames;
        for (var i = 0; i < names.Count; i++)
            if (string.Equals(names[i], className, StringComparison.Ordinal)) return i;
        for (var i = 0; i < names.Count; i++)
            if (string.Equals(names[i], className, StringComparison.OrdinalIgnoreCase)) return i;
        throw new ArgumentException($"unknown class '{className}'; the model's classes: {string.Join(", ", names)}", nameof(className));
    }
}
