using SharpVision.Engine;

namespace SharpVision.Layers;

/// <summary>2-D max pooling (torch.nn.MaxPool2d / Keras MaxPooling2D). Stride defaults to the kernel size.</summary>
public sealed class MaxPool2d : Module
{
    /// <summary>Creates the layer.</summary>
    public MaxPool2d(Size2 kernelSize, Size2? stride = null, Size2? padding = null, bool ceilMode = false)
        : base("max_pooling2d")
    {
        if (kernelSize.H <= 0 || kernelSize.W <= 0) throw new ArgumentOutOfRangeException(nameof(kernelSize), kernelSize, "pool size must be positive");
        KernelSize = kernelSize;
        Stride = stride ?? kernelSize;
        PaddingSize = padding ?? 0;
        CeilMode = ceilMode;
    }

    /// <summary>Window size.</summary>
    public Size2 KernelSize { get; }
    /// <summary>Stride.</summary>
    public Size2 Stride { get; }
    /// <summary>Implicit -inf padding on each side.</summary>
    public Size2 PaddingSize { get; }
    /// <summary>Rounds the output size up instead of down.</summary>
    public bool CeilMode { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) =>
        Functional.MaxPool2d(input, KernelSize.Tuple, Stride.Tuple, PaddingSize.Tuple, null, CeilMode);

    /// <inheritdoc />
    protected override string ExtraRepr => $"kernel_size={KernelSize}, stride={Stride}, padding={PaddingSize}";
}
