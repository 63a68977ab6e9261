namespace SharpVision.Imaging;

/// <summary>Applies an EXIF orientation (1–8) to decoded pixels so that the image is shown upright.</summary>
public static class ExifOrientation
{
    /// <summary>
    /// Returns the image as it should be displayed for EXIF orientation <paramref name="orientation"/>: 1 unchanged,
    /// 2 mirrored, 3 rotated 180°, 4 flipped vertically, 5 transposed, 6 rotated 90° clockwise, 7 transversed,
    /// 8 rotated 90° counter-clockwise. Values outside 1–8 are treated as 1.
    /// </summary>
    public static RgbImage Apply(RgbImage image, int orientation)
    {
        if (orientation is < 2 or > 8) return image;
        int w = image.Width, h = image.Height, c = image.Channels;
        var swap = orientation >= 5;
        int ow = swap ? h : w, oh = swap ? w : h;
        var src = image.Pixels;
        var dst = new byte[src.Length];
        for (var y = 0; y < oh; y++)
        {
            for (var x = 0; x < ow; x++)
            {
                // Source coordinate of display pixel (x, y).
                var (sx, sy) = orientation switch
                {
                    2 => (w - 1 - x, y),
                    3 => (w - 1 - x, h - 1 - y),
                    4 => (x, h - 1 - y),
                    5 => (y, x),
                    6 => (y, h - 1 - x),
                    7 => (w - 1 - y, h - 1 - x),
                    _ => (w - 1 - y, x),
                };
                var s = (sy * w + sx) * c;
                var o = (y * ow + x) * c;
                for (var k = 0; k < c; k++) dst[o + k] = src[s + k];
            }
        }
        return new RgbImage(ow, oh, c, dst);
    }
}
