using SharpVision.Augmentation;
using SharpVision.Engine;

namespace SharpVision.Data;

/// <summary>
/// The image pipeline of training and evaluation, on the model's device: uint8 NCHW → float [0, 1] → augmentation
/// (training only) → normalisation ((x − mean) / std). MixUp/CutMix come from the same spec.
/// </summary>
public sealed class StandardInputPipeline : IInputPipeline
{
    private readonly Augmenter? augmenter;
    private readonly BatchMixer? mixer;

    /// <summary>Creates the pipeline.</summary>
    public StandardInputPipeline(Device device, Normalization normalization, AugmentationSpec? augmentation = null)
    {
        Device = device;
        Normalization = normalization;
        if (augmentation is not null)
        {
            var a = new Augmenter(augmentation);
            if (!a.IsIdentity) augmenter = a;
            var m = new BatchMixer(augmentation);
            if (m.Enabled) mixer = m;
        }
    }

    /// <summary>Target device.</summary>
    public Device Device { get; }

    /// <summary>Normalisation applied last.</summary>
    public Normalization Normalization { get; }

    /// <inheritdoc />
    public Tensor Prepare(Tensor inputs, bool training, Generator generator)
    {
        using var scope = Torch.NewDisposeScope();
        var x = inputs.To(Device);
        if (inputs.DType == DType.UInt8) x = x.To(DType.Float32).Div(255.0);
        if (training && augmenter is not null) x = augmenter.Apply(x, generator);
        return Normalize(x).MoveToOuterDisposeScope();
    }

    /// <summary>(x − mean) / std per channel for images in [0, 1].</summary>
    public Tensor Normalize(Tensor x01)
    {
        var mean = Normalization.Mean;
        var std = Normalization.Std;
        if (mean.Count == 1) return (x01 - mean[0]) / std[0];
        var c = mean.Count;
        using var m = Tensor.FromArray(mean.Select(v => (float)v).ToArray(), 1, c, 1, 1);
        using var s = Tensor.FromArray(std.Select(v => (float)v).ToArray(), 1, c, 1, 1);
        using var md = m.To(x01.Device);
        using var sd = s.To(x01.Device);
        using var centered = x01 - md;
        return centered / sd;
    }

    /// <inheritdoc />
    public (Tensor Inputs, Tensor SoftTargets)? Mix(Tensor inputs, Tensor labels, int numClasses, Generator generator) =>
        mixer is null ? null : mixer.Apply(inputs, labels, numClasses, generator);
}
