using SharpVision.Imaging;

namespace SharpVision.Reports.Charts;

/// <summary>
/// An RGB raster to draw charts on: filled and outlined shapes, anti-aliased lines and circles, alpha blending, text
/// in an embedded bitmap font (scalable by integer factors, horizontal or rotated for vertical axis labels) and images.
/// Coordinates are pixels with (0, 0) the top-left pixel's centre; drawing outside the canvas is clipped.
/// </summary>
public sealed class Canvas
{
    private readonly byte[] _pixels;

    /// <summary>Creates a canvas filled with <paramref name="background"/> (white when omitted).</summary>
    public Canvas(int width, int height, Color? background = null)
    {
        if (width <= 0 || height <= 0 || (long)width * height > 100_000_000)
            throw new ArgumentException($"canvas size must be positive and at most 100 Mpx, got {width}×{height}");
        Width = width;
        Height = height;
        _pixels = new byte[width * height * 3];
        Fill(background ?? Color.White);
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>Fills the whole canvas.</summary>
    public void Fill(Color color) => FillRect(0, 0, Width, Height, color);

    /// <summary>The colour of pixel (x, y).</summary>
    public Color GetPixel(int x, int y)
    {
        if ((uint)x >= (uint)Width || (uint)y >= (uint)Height) throw new ArgumentOutOfRangeException(nameof(x), $"pixel ({x}, {y}) is outside {Width}×{Height}");
        var o = (y * Width + x) * 3;
        return new Color(_pixels[o], _pixels[o + 1], _pixels[o + 2]);
    }

    /// <summary>Blends <paramref name="color"/> over pixel (x, y) with opacity <paramref name="alpha"/> ∈ [0, 1]; outside pixels are ignored.</summary>
    public void Blend(int x, int y, Color color, double alpha = 1)
    {
        if ((uint)x >= (uint)Width || (uint)y >= (uint)Height || alpha <= 0) return;
        var o = (y * Width + x) * 3;
        if (alpha >= 1)
        {
            _pixels[o] = color.R;
            _pixels[o + 1] = color.G;
            _pixels[o + 2] = color.B;
            return;
        }
        _pixels[o] = (byte)(_pixels[o] + (color.R - _pixels[o]) * alpha + 0.5);
        _pixels[o + 1] = (byte)(_pixels[o + 1] + (color.G - _pixels[o + 1]) * alpha + 0.5);
        _pixels[o + 2] = (byte)(_pixels[o + 2] + (color.B - _pixels[o + 2]) * alpha + 0.5);
    }

    /// <summary>Fills the rectangle with top-left (x, y) and the given size, optionally translucent.</summary>
    public void FillRect(int x, int y, int width, int height, Color color, double alpha = 1)
    {
        int x0 = Math.Max(x, 0), y0 = Math.Max(y, 0);
        int x1 = Math.Min(x + width, Width), y1 = Math.Min(y + height, Height);
        for (var yy = y0; yy < y1; yy++)
            for (var xx = x0; xx < x1; xx++)
                Blend(xx, yy, color, alpha);
    }

    /// <summary>Fills a rectangle with diagonal hatching (lines 2 px wide every <paramref name="spacing"/> px), readable over any background.</summary>
    public void HatchRect(int x, int y, int width, int height, Color color, int spacing = 6, double alpha = 1)
    {
        if (spacing < 3) throw new ArgumentOutOfRangeException(nameof(spacing), $"hatch spacing must be ≥ 3, got {spacing}");
        for (var yy = Math.Max(y, 0); yy < Math.Min(y + height, Height); yy++)
            for (var xx = Math.Max(x, 0); xx < Math.Min(x + width, Width); xx++)
                if ((xx + yy) % spacing < 2) Blend(xx, yy, color, alpha);
    }

    /// <summary>Draws the outline of a rectangle, <paramref name="thickness"/> pixels wide, inside its bounds.</summary>
    public void DrawRect(int x, int y, int width, int height, Color color, int thickness = 1)
    {
        thickness = Math.Max(1, Math.Min(thickness, Math.Min(width, height) / 2 + 1));
        FillRect(x, y, width, thickness, color);
        FillRect(x, y + height - thickness, width, thickness, color);
        FillRect(x, y + thickness, thickness, height - 2 * thickness, color);
        FillRect(x + width - thickness, y + thickness, thickness, height - 2 * thickness, color);
    }

    /// <summary>
    /// Draws an anti-aliased line segment with round ends. <paramref name="dash"/> &gt; 0 draws dashes of that many
    /// pixels separated by equal gaps.
    /// </summary>
    public void DrawLine(double x0, double y0, double x1, double y1, Color color, double thickness = 1, double dash = 0, double alpha = 1)
    {
        if (dash > 0)
        {
            var length = Math.Sqrt((x1 - x0) * (x1 - x0) + (y1 - y0) * (y1 - y0));
            if (length == 0) return;
            for (var s = 0.0; s < length; s += 2 * dash)
            {
                var e = Math.Min(s + dash, length);
                DrawLine(x0 + (x1 - x0) * s / length, y0 + (y1 - y0) * s / length,
                    x0 + (x1 - x0) * e / length, y0 + (y1 - y0) * e / length, color, thickness, 0, alpha);
            }
            return;
        }
        // Coverage from the distance of each pixel centre to the segment: a cheap, good-looking anti-aliasing.
        var r = Math.Max(thickness, 0.5) / 2;
        var minX = (int)Math.Floor(Math.Min(x0, x1) - r - 1);
        var maxX = (int)Math.Ceiling(Math.Max(x0, x1) + r + 1);
        var minY = (int)Math.Floor(Math.Min(y0, y1) - r - 1);
        var maxY = (int)Math.Ceiling(Math.Max(y0, y1) + r + 1);
        minX = Math.Max(minX, 0); minY = Math.Max(minY, 0);
        maxX = Math.Min(maxX, Width - 1); maxY = Math.Min(maxY, Height - 1);
        double dx = x1 - x0, dy = y1 - y0, len2 = dx * dx + dy * dy;
        for (var y = minY; y <= maxY; y++)
        {
            for (var x = minX; x <= maxX; x++)
            {
                var t = len2 == 0 ? 0 : Math.Clamp(((x - x0) * dx + (y - y0) * dy) / len2, 0, 1);
                double px = x0 + t * dx - x, py = y0 + t * dy - y;
                var cover = Math.Clamp(r + 0.5 - Math.Sqrt(px * px + py * py), 0, 1);
                if (cover > 0) Blend(x, y, color, cover * alpha);
            }
        }
    }

    /// <summary>Draws connected anti-aliased segments through the points (NaN points break the line).</summary>
    public void DrawPolyline(IReadOnlyList<(double X, double Y)> points, Color color, double thickness = 1, double dash = 0)
    {
        ArgumentNullException.ThrowIfNull(points);
        for (var i = 1; i < points.Count; i++)
        {
            var (ax, ay) = points[i - 1];
            var (bx, by) = points[i];
            if (double.IsNaN(ax + ay + bx + by)) continue;
            DrawLine(ax, ay, bx, by, color, thickness, dash);
        }
    }

    /// <summary>Fills an anti-aliased disc.</summary>
    public void FillCircle(double cx, double cy, double radius, Color color, double alpha = 1)
    {
        for (var y = (int)Math.Floor(cy - radius - 1); y <= (int)Math.Ceiling(cy + radius + 1); y++)
            for (var x = (int)Math.Floor(cx - radius - 1); x <= (int)Math.Ceiling(cx + radius + 1); x++)
            {
                var d = Math.Sqrt((x - cx) * (x - cx) + (y - cy) * (y - cy));
                var cover = Math.Clamp(radius + 0.5 - d, 0, 1);
                if (cover > 0) Blend(x, y, color, cover * alpha);
            }
    }

    /// <summary>Draws an anti-aliased circle outline.</summary>
    public void DrawCircle(double cx, double cy, double radius, Color color, double thickness = 1)
    {
        var half = thickness / 2;
        for (var y = (int)Math.Floor(cy - radius - half - 1); y <= (int)Math.Ceiling(cy + radius + half + 1); y++)
            for (var x = (int)Math.Floor(cx - radius - half - 1); x <= (int)Math.Ceiling(cx + radius + half + 1); x++)
            {
                var d = Math.Abs(Math.Sqrt((x - cx) * (x - cx) + (y - cy) * (y - cy)) - radius);
                var cover = Math.Clamp(half + 0.5 - d, 0, 1);
                if (cover > 0) Blend(x, y, color, cover);
            }
    }

    /// <summary>Draws a series marker: a filled disc with a white rim, so overlapping markers stay distinct.</summary>
    public void DrawMarker(double cx, double cy, Color color, double radius = 3)
    {
        FillCircle(cx, cy, radius + 1, White);
        FillCircle(cx, cy, radius, color);
    }

    /// <summary>
    /// Draws one line of text. (x, y) is the anchor; <paramref name="horizontal"/> and <paramref name="vertical"/> say
    /// where it lies on the text's box. <paramref name="scale"/> enlarges the glyphs by an integer factor.
    /// </summary>
    /// <returns>The width of the drawn text in pixels.</returns>
    public int DrawText(string text, int x, int y, Color color, BitmapFont? font = null,
        HorizontalAlign horizontal = HorizontalAlign.Left, VerticalAlign vertical = VerticalAlign.Top, int scale = 1)
    {
        var (cover, w, h) = Rasterise(text, font ?? BitmapFont.Regular, scale);
        var left = Align(x, w, horizontal);
        var top = Align(y, h, vertical);
        for (var v = 0; v < h; v++)
            for (var u = 0; u < w; u++)
            {
                var c = cover[v * w + u];
                if (c > 0) Blend(left + u, top + v, color, c / 255.0);
            }
        return w;
    }

    /// <summary>
    /// Draws text rotated 90° counter-clockwise (reading bottom to top), as on a y-axis label. The alignments apply to
    /// the rotated box (<paramref name="horizontal"/> across the text, <paramref name="vertical"/> along it).
    /// </summary>
    public void DrawTextVertical(string text, int x, int y, Color color, BitmapFont? font = null,
        HorizontalAlign horizontal = HorizontalAlign.Center, VerticalAlign vertical = VerticalAlign.Middle, int scale = 1)
    {
        var (cover, w, h) = Rasterise(text, font ?? BitmapFont.Regular, scale);
        // Rotated box is h wide and w tall; text pixel (u, v) lands at (left + v, top + w - 1 - u).
        var left = Align(x, h, horizontal);
        var top = Align(y, w, vertical);
        for (var v = 0; v < h; v++)
            for (var u = 0; u < w; u++)
            {
                var c = cover[v * w + u];
                if (c > 0) Blend(left + v, top + w - 1 - u, color, c / 255.0);
            }
    }

    /// <summary>Draws an image scaled (bilinear) into the rectangle with top-left (x, y).</summary>
    public void DrawImage(RgbImage image, int x, int y, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(image);
        var src = image.Width == width && image.Height == height ? ImageOps.ToRgb(image) : ImageOps.Resize(image, width, height);
        for (var yy = 0; yy < height; yy++)
            for (var xx = 0; xx < width; xx++)
            {
                var o = src.Offset(xx, yy);
                Blend(x + xx, y + yy, new Color(src.Pixels[o], src.Pixels[o + 1], src.Pixels[o + 2]));
            }
    }

    /// <summary>A copy of the pixels as an RGB image.</summary>
    public RgbImage ToImage() => new(Width, Height, 3, (byte[])_pixels.Clone());

    /// <summary>Encodes the canvas as PNG bytes.</summary>
    public byte[] ToPng() => PngEncoder.Encode(_pixels, Width, Height, 3);

    /// <summary>Writes the canvas to a PNG file.</summary>
    public void SavePng(string path) => File.WriteAllBytes(path, ToPng());

    private static Color White => Color.White;

    private static int Align(int anchor, int size, HorizontalAlign a) => a switch
    {
        HorizontalAlign.Left => anchor,
        HorizontalAlign.Center => anchor - size / 2,
        _ => anchor - size,
    };

    private static int Align(int anchor, int size, VerticalAlign a) => a switch
    {
        VerticalAlign.Top => anchor,
        VerticalAlign.Middle => anchor - size / 2,
        _ => anchor - size,
    };

    /// <summary>Renders text into a coverage buffer (w × h, 0–255).</summary>
    private static (byte[] Cover, int W, int H) Rasterise(string text, BitmapFont font, int scale)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (scale < 1) throw new ArgumentOutOfRangeException(nameof(scale), $"text scale must be ≥ 1, got {scale}");
        var baseW = Math.Max(font.Measure(text), 1);
        var h = font.LineHeight;
        var buf = new byte[baseW * h];
        var pen = 0;
        foreach (var ch in text)
        {
            var (offset, gw, cov) = font.Glyph(ch);
            var span = cov.Span;
            for (var v = 0; v < h; v++)
                for (var u = 0; u < gw; u++)
                {
                    var x = pen + offset + u;
                    if ((uint)x >= (uint)baseW) continue;
                    var i = v * baseW + x;
                    buf[i] = Math.Max(buf[i], span[v * gw + u]);
                }
            pen += font.Advance(ch);
        }
        if (scale == 1) return (buf, baseW, h);
        var sw = baseW * scale;
        var sh = h * scale;
        var scaled = new byte[sw * sh];
        for (var y = 0; y < sh; y++)
            for (var x = 0; x < sw; x++)
                scaled[y * sw + x] = buf[(y / scale) * baseW + x / scale];
        return (scaled, sw, sh);
    }
}
