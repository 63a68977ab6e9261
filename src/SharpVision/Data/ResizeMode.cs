namespace SharpVision.Data;

/// <summary>How <see cref="ImagePreprocessor"/> fits an image into the target size.</summary>
public enum ResizeMode
{
    /// <summary>Scale each axis independently (may distort the aspect ratio).</summary>
    Stretch = 0,
    /// <summary>Scale to cover the target, then cut the centre (keeps the aspect ratio, loses the edges).</summary>
    CenterCrop = 1,
    /// <summary>Scale to fit inside the target and pad the rest (keeps everything, adds bars).</summary>
    Letterbox = 2,
}
