using SharpVision.Imaging;

namespace SharpVision.Reports.Charts;

/// <summary>Thumbnails in a grid with captions and coloured frames (e.g. true/predicted label and confidence, green = right, red = wrong).</summary>
public static class ImageGallery
{
    /// <summary>Renders the items, <paramref name="columns"/> per row, each thumbnail <paramref name="thumbSize"/> pixels square (aspect kept).</summary>
    public static RgbImage Render(IReadOnlyList<GalleryItem> items, int columns = 6, int thumbSize = 112, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (columns < 1) throw new ArgumentOutOfRangeException(nameof(columns), $"columns must be ≥ 1, got {columns}");
        if (thumbSize is < 16 or > 1024) throw new ArgumentOutOfRangeException(nameof(thumbSize), $"thumbnail size must be in 16..1024, got {thumbSize}");
        var font = BitmapFont.Regular;
        const int pad = 12, gap = 10, frame = 3;
        columns = Math.Max(1, Math.Min(columns, Math.Max(items.Count, 1)));
        var rows = Math.Max(1, (items.Count + columns - 1) / columns);
        var captionLines = items.Count == 0 ? 0 : items.Max(i => i.Caption.Count);
        var cellW = Math.Max(thumbSize + 2 * frame, 120);
        var cellH = thumbSize + 2 * frame + 4 + captionLines * font.LineHeight;
        var titleH = string.IsNullOrEmpty(title) ? 0 : BitmapFont.Title.LineHeight + 10;
        var width = 2 * pad + columns * cellW + (columns - 1) * gap;
        if (!string.IsNullOrEmpty(title)) width = Math.Max(width, BitmapFont.Title.Measure(title) + 2 * pad);
        var height = 2 * pad + titleH + rows * cellH + (rows - 1) * gap;
        var canvas = new Canvas(width, height);
        if (!string.IsNullOrEmpty(title))
            canvas.DrawText(title, width / 2, pad, Color.Ink, BitmapFont.Title, HorizontalAlign.Center);
        if (items.Count == 0)
        {
            canvas.DrawText("(no items)", width / 2, pad + titleH + cellH / 2, Color.Gray, font, HorizontalAlign.Center, VerticalAlign.Middle);
            return canvas.ToImage();
        }
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var x = pad + (i % columns) * (cellW + gap);
            var y = pad + titleH + (i / columns) * (cellH + gap);
            var boxX = x + (cellW - thumbSize - 2 * frame) / 2;
            if (item.Frame is { } f) canvas.FillRect(boxX, y, thumbSize + 2 * frame, thumbSize + 2 * frame, f);
            canvas.FillRect(boxX + frame, y + frame, thumbSize, thumbSize, new Color(235, 235, 235));
            if (item.Image is { } img)
            {
                // Fit inside the square keeping the aspect ratio.
                var s = Math.Min((double)thumbSize / img.Width, (double)thumbSize / img.Height);
                var w = Math.Max(1, (int)Math.Round(img.Width * s));
                var h = Math.Max(1, (int)Math.Round(img.Height * s));
                canvas.DrawImage(img, boxX + frame + (thumbSize - w) / 2, y + frame + (thumbSize - h) / 2, w, h);
            }
            else
            {
                canvas.DrawText("no image", boxX + frame + thumbSize / 2, y + frame + thumbSize / 2, Color.Gray, font, HorizontalAlign.Center, VerticalAlign.Middle);
            }
            for (var l = 0; l < item.Caption.Count; l++)
                canvas.DrawText(font.Fit(item.Caption[l], cellW), x + cellW / 2, y + thumbSize + 2 * frame + 4 + l * font.LineHeight,
                    item.CaptionColors is { } cc && l < cc.Count ? cc[l] : l == 0 ? Color.Ink : Color.Gray, font, HorizontalAlign.Center);
        }
        return canvas.ToImage();
    }
}
