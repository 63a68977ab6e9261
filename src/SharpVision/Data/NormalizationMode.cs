namespace SharpVision.Data;

/// <summary>How <see cref="Normalization"/> maps 0–255 pixels to model inputs.</summary>
public enum NormalizationMode
{
    /// <summary>x / 255 → [0, 1].</summary>
    Unit = 0,
    /// <summary>x / 127.5 − 1 → [−1, 1] (MobileNet/Inception style).</summary>
    MinusOneToOne = 1,
    /// <summary>(x / 255 − ImageNet mean) / ImageNet std, per channel (torchvision pretrained models).</summary>
    ImageNet = 2,
    /// <summary>(x / 255 − mean) / std with per-channel statistics fitted on the training set.</summary>
    Featurewise = 3,
}
