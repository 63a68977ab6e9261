using SharpVision.Imaging;

namespace SharpVision.Reports.Charts;

/// <summary>One thumbnail of an <see cref="ImageGallery"/>.</summary>
/// <param name="Image">The picture (any size; scaled to fit), or null for a grey placeholder.</param>
/// <param name="Caption">Lines under the thumbnail (each shortened to fit).</param>
/// <param name="Frame">Frame colour (e.g. <see cref="Color.Correct"/> / <see cref="Color.Wrong"/>), or null for none.</param>
/// <param name="CaptionColors">Colour per caption line (default: first line dark, the others grey).</param>
public sealed record GalleryItem(RgbImage? Image, IReadOnlyList<string> Caption, Color? Frame = null, IReadOnlyList<Color>? CaptionColors = null);
