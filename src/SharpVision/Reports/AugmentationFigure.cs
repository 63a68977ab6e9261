using SharpVision.Augmentation;
using SharpVision.Imaging;
using SharpVision.Reports.Charts;

namespace SharpVision.Reports;

/// <summary>
/// The `augment` preview a person can read: the original, then one tile per transform of the spec (only that transform
/// applied, captioned with it), then variants with the whole spec; tiles at least 128 px, captioned, in full rows
/// (no empty cells), under a title with the spec.
/// </summary>
public static class AugmentationFigure
{
    /// <summary>Tiles per row.</summary>
    public const int Columns = 5;

    /// <summary>Smallest tile side in pixels (small images are enlarged).</summary>
    public const int MinTile = 128;

    private const int Gap = 8, CaptionHeight = 18, TitleHeight = 26;

    /// <summary>The captioned tiles (caption, image) in order: original, each transform alone, the whole spec.</summary>
    public static IReadOnlyList<(string Caption, RgbImage Image)> Tiles(RgbImage source, AugmentationSpec spec, ulong seed = 0, int minimumTiles = 10)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(spec);
        var tiles = new List<(string, RgbImage)> { ("original", source) };
        var parts = spec.ToString() == "none" ? Array.Empty<string>() : spec.ToString().Split(',', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length > 1)
            for (var i = 0; i < parts.Length; i++)
                tiles.Add((parts[i], AugmentationPreview.Variants(source, AugmentationSpec.Parse(parts[i]), 1, seed + (ulong)i + 1)[0]));
        var combined = Math.Max(1, Math.Max(minimumTiles, tiles.Count + 1) - tiles.Count);
        combined += (Columns - (tiles.Count + combined) % Columns) % Columns; // fill the last row
        var label = parts.Length == 1 ? parts[0] : "all";
        var variants = AugmentationPreview.Variants(source, spec, combined, seed);
        for (var i = 0; i < variants.Count; i++) tiles.Add(($"{label} #{i + 1}", variants[i]));
        return tiles;
    }

    /// <summary>Renders the figure.</summary>
    public static RgbImage Render(RgbImage source, AugmentationSpec spec, ulong seed = 0, int minimumTiles = 10)
    {
        var tiles = Tiles(source, spec, seed, minimumTiles);
        var scale = Math.Max(1.0, (double)MinTile / Math.Max(source.Width, source.Height));
        int tw = (int)Math.Round(source.Width * scale), th = (int)Math.Round(source.Height * scale);
        var rows = (tiles.Count + Columns - 1) / Columns;
        var canvas = new Canvas(Gap + Columns * (tw + Gap), TitleHeight + rows * (th + CaptionHeight + Gap));
        canvas.Fill(Color.White);
        canvas.DrawText(Fit("Augmentation: " + spec, canvas.Width - 2 * Gap), canvas.Width / 2, 7, Color.Ink, horizontal: HorizontalAlign.Center);
        for (var t = 0; t < tiles.Count; t++)
        {
            var (caption, image) = tiles[t];
            int x = Gap + t % Columns * (tw + Gap), y = TitleHeight + t / Columns * (th + CaptionHeight + Gap);
            canvas.DrawImage(ImageOps.ToRgb(image), x, y, tw, th);
            canvas.DrawText(Fit(caption, tw), x + tw / 2, y + th + 3, t == 0 ? Color.Ink : Color.Gray, horizontal: HorizontalAlign.Center);
        }
        return canvas.ToImage();
    }

    private static string Fit(string text, int width)
    {
        if (BitmapFont.Regular.Measure(text) <= width) return text;
        while (text.Length > 1 && BitmapFont.Regular.Measure(text + "..") > width) text = text[..^1];
        return text + "..";
    }
}
