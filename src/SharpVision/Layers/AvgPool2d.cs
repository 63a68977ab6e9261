using SharpVision.Engine;

namespace SharpVision.Layers;

/// <summary>2-D average pooling (torch.nn.AvgPool2d / Keras AveragePooling2D). Stride defaults to the kernel size.</summary>
public sealed class AvgPool2d : Module
{
    /// <summary>Creates the layer.</summary>
    public AvgPool2d(Size2 kernelSize, Size2? stride = null, Size2? padding = null, bool ceilMode = false, bool countIncludePad = true)
        : base("average_pooling2d")
    {
        if (kernelSize.H <= 0 || kernelSize.W <= 0) throw new ArgumentOutOfRangeException(nameof(kernelSize), kernelSize, "pool size must be positive");
        KernelSize = kernelSize;
        Stride = stride ?? kernelSize;
        PaddingSize = padding ?? 0;
        CeilMode = ceilMode;
        CountIncludePad = countIncludePad;
    }

    /// <summary>Window size.</summary>
    public Size2 KernelSize { get; }
    /// <summary>Stride.</summary>
    public Size2 Stride { get; }
    /// <summary>Implicit zero padding on each side.</summary>
    public Size2 PaddingSize { get; }
    /// <summary>Rounds the output size up instead of down.</summary>
    public bool CeilMode { get; }
    /// <summary>Whether padded zeros count in the average (PyTorch default true).</summary>
    public bool CountIncludePad { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) =>
        Functional.AvgPool2d(input, KernelSize.Tuple, Stride.Tuple, PaddingSize.Tuple, CeilMode, CountIncludePad);

    /// <inheritdoc />
    protected override string ExtraRepr => $"kernel_size={KernelSize}, stride={Stride}, padding={PaddingSize}";
}
