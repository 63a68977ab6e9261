using SharpVision.Transfer.Features;
namespace SharpVision.Transfer;

/// <summary>How the first fine-tuning phase (head only, backbone frozen) gets its inputs.</summary>
public enum HeadPhaseMode
{
    /// <summary><see cref="Cached"/> without augmentation, <see cref="EndToEnd"/> with it.</summary>
    Auto = 0,

    /// <summary>
    /// Backbone features computed once into a <see cref="FeatureCache"/> (plus the configured number of augmented
    /// passes), then the head trains on them: seconds per epoch.
    /// </summary>
    Cached = 1,

    /// <summary>Every step runs the frozen backbone on freshly augmented images (slow, but every epoch sees new augmentations).</summary>
    EndToEnd = 2,
}
