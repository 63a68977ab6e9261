using SharpVision.Engine;

namespace SharpVision.Data;

/// <summary>Turns raw batches into model inputs: device, float conversion, augmentation (training only), normalisation.</summary>
public interface IInputPipeline
{
    /// <summary>Prepares inputs. <paramref name="generator"/> drives augmentation randomness (seeded per epoch by the trainer).</summary>
    Tensor Prepare(Tensor inputs, bool training, Generator generator);

    /// <summary>
    /// Batch-level mixing (MixUp/CutMix) during training: returns mixed inputs and soft targets [N, C], or null when
    /// mixing is off (then the hard labels are used).
    /// </summary>
    (Tensor Inputs, Tensor SoftTargets)? Mix(Tensor inputs, Tensor labels, int numClasses, Generator generator);
}
