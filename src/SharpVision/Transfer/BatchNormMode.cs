namespace SharpVision.Transfer;

/// <summary>How BatchNorm layers inside the unfrozen blocks behave while fine-tuning.</summary>
public enum BatchNormMode
{
    /// <summary>
    /// Normalise with the pretrained running statistics (eval mode, statistics not updated) while the affine weight and
    /// bias still train. The default: small batches of a new dataset give noisy batch statistics, and the shared
    /// MobileNetV2 stores BN folded into identity layers whose statistics must not be re-estimated.
    /// </summary>
    RunningStatistics = 0,

    /// <summary>Freeze BN layers completely (running statistics and affine parameters), Keras' trainable=False.</summary>
    Frozen = 1,

    /// <summary>Ordinary training mode: batch statistics, running statistics updated (PyTorch's model.train()).</summary>
    BatchStatistics = 2,
}
