using SharpVision.Engine;

namespace SharpVision.Training;

/// <summary>The minimal pipeline: move to the device and turn uint8 images into floats in [0, 1]; no augmentation.</summary>
public sealed class BasicInputPipeline : IInputPipeline
{
    /// <summary>Creates the pipeline.</summary>
    public BasicInputPipeline(Device device) => Device = device;

    /// <summary>Target device.</summary>
    public Device Device { get; }

    /// <inheritdoc />
    public Tensor Prepare(Tensor inputs, bool training, Generator generator)
    {
        var onDevice = inputs.To(Device);
        if (inputs.DType != DType.UInt8) return onDevice;
        using (onDevice)
        {
            using var f = onDevice.To(DType.Float32);
            return f.Div(255.0);
        }
    }

    /// <inheritdoc />
    public (Tensor Inputs, Tensor SoftTargets)? Mix(Tensor inputs, Tensor labels, int numClasses, Generator generator) => null;
}
