using SharpVision.Engine;

namespace SharpVision.Layers;

/// <summary>Average pooling to a fixed output size (torch.nn.AdaptiveAvgPool2d), e.g. VGG's 7×7 before the classifier.</summary>
public sealed class AdaptiveAvgPool2d : Module
{
    /// <summary>Creates the layer.</summary>
    public AdaptiveAvgPool2d(Size2 outputSize) : base("adaptive_average_pooling2d")
    {
        if (outputSize.H <= 0 || outputSize.W <= 0) throw new ArgumentOutOfRangeException(nameof(outputSize), outputSize, "output size must be positive");
        OutputSize = outputSize;
    }

    /// <summary>Output (height, width).</summary>
    public Size2 OutputSize { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => Functional.AdaptiveAvgPool2d(input, OutputSize.Tuple);

    /// <inheritdoc />
    protected override string ExtraRepr => $"output_size={OutputSize}";
}
