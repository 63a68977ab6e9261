namespace SharpVision.Models;

/// <summary>How <see cref="ModelZoo.Create"/> builds a model.</summary>
public sealed record ModelOptions
{
    /// <summary>Number of classes of the head (default 1000, ImageNet).</summary>
    public int NumClasses { get; init; } = 1000;

    /// <summary>Image channels (3 for RGB, 1 for grayscale).</summary>
    public int InputChannels { get; init; } = 3;

    /// <summary>Input height; 0 = the model's default (<see cref="ModelZoo.DefaultInputSize"/>). Models with a Flatten
    /// before their dense layers (lenet5, cafe-cnn, small-convnet) are built for exactly this size.</summary>
    public int InputHeight { get; init; }

    /// <summary>Input width; 0 = the model's default.</summary>
    public int InputWidth { get; init; }

    /// <summary>Dropout probability overriding the model's default (VGG 0.5, MobileNetV2 0.2, Inception 0.5,
    /// cafe-cnn-dropout 0.25, mini-inception's SpatialDropout 0.3); for small-convnet, cafe-cnn and lenet5 a value
    /// adds dropout that the plain model does not have.</summary>
    public double? Dropout { get; init; }

    /// <summary>Inception v3: build the auxiliary classifier (AuxLogits), as torchvision does by default.</summary>
    public bool AuxLogits { get; init; } = true;

    /// <summary>
    /// Keras-style models (lenet5, cafe-cnn*, small-convnet, mini-inception*): end with the output activation
    /// (sigmoid for a single unit, softmax otherwise) so the model returns probabilities. Off by default: models return
    /// logits, which is what the numerically stable losses expect.
    /// </summary>
    public bool OutputProbabilities { get; init; }

    /// <summary>
    /// Multi-scale features (<see cref="FeatureTaps"/>): blocks whose globally pooled outputs are concatenated after the
    /// model's own pooled features, the head sized for the sum. mobilenet_v2: "features.0" … "features.17";
    /// resnet18/34/50: "layer1" … "layer3". Null or empty: the plain model. Other models refuse taps.
    /// </summary>
    public IReadOnlyList<string>? FeatureTaps { get; init; }

    /// <summary>Checks the values and fills the input size from <paramref name="defaultSize"/> when unset.</summary>
    internal ModelOptions Resolve(string model, (int Height, int Width) defaultSize)
    {
        if (NumClasses < 1) throw new ArgumentOutOfRangeException(nameof(NumClasses), NumClasses, $"{model}: the number of classes must be at least 1");
        if (InputChannels < 1) throw new ArgumentOutOfRangeException(nameof(InputChannels), InputChannels, $"{model}: input channels must be at least 1");
        if (InputHeight < 0 || InputWidth < 0) throw new ArgumentOutOfRangeException(nameof(InputHeight), $"{model}: input size must be positive, got {InputHeight}x{InputWidth}");
        if (Dropout is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(Dropout), Dropout, $"{model}: dropout must be in [0, 1)");
        return this with
        {
            InputHeight = InputHeight == 0 ? defaultSize.Height : InputHeight,
            InputWidth = InputWidth == 0 ? defaultSize.Width : InputWidth,
        };
    }
}
