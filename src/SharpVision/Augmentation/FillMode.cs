namespace SharpVision.Augmentation;

/// <summary>How pixels that a geometric transform brings in from outside the image are filled (Keras <c>fill_mode</c>).</summary>
public enum FillMode
{
    /// <summary>Repeat the nearest border pixel (Keras "nearest", the Keras default): aaaa|abcd|dddd.</summary>
    Nearest = 0,

    /// <summary>Mirror the image at its border (Keras "reflect"): dcba|abcd|dcba.</summary>
    Reflect = 1,

    /// <summary>A constant value (Keras "constant" with <c>cval</c>; see <see cref="AugmentationSpec.FillValue"/>).</summary>
    Constant = 2,
}
