using SharpVision.Imaging;

namespace SharpVision.Data;

/// <summary>Options of <see cref="ImageFolderDataset.Open"/> and <see cref="Food101Dataset.Open"/>.</summary>
public sealed record ImageFolderOptions
{
    /// <summary>
    /// Only these classes, with labels in this order (so a saved model's class list can be reused). Null: every
    /// class folder, sorted ordinally.
    /// </summary>
    public IReadOnlyList<string>? Classes { get; init; }

    /// <summary>How files are checked when the dataset is opened. Default: header check.</summary>
    public HeaderValidation Validation { get; init; } = HeaderValidation.Header;

    /// <summary>Decoder limits (pixel limit, EXIF orientation).</summary>
    public ImageDecodeOptions DecodeOptions { get; init; } = ImageDecodeOptions.Default;

    /// <summary>File extensions taken as images (case-insensitive, with the dot). Default .jpg, .jpeg, .png, .webp.</summary>
    public IReadOnlyList<string> Extensions { get; init; } = new[] { ".jpg", ".jpeg", ".png", ".webp" };
}
