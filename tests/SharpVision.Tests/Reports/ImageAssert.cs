using SharpVision.Imaging;
using SharpVision.Reports.Charts;

namespace SharpVision.Tests.Reports;

/// <summary>Pixel-level checks on rendered images.</summary>
internal static class ImageAssert
{
    public static Color Pixel(RgbImage image, int x, int y)
    {
        var o = image.Offset(x, y);
        return image.Channels >= 3 ? new Color(image.Pixels[o], image.Pixels[o + 1], image.Pixels[o + 2]) : new Color(image.Pixels[o], image.Pixels[o], image.Pixels[o]);
    }

    /// <summary>How many pixels are within <paramref name="tolerance"/> of <paramref name="color"/> on every channel.</summary>
    public static int Count(RgbImage image, Color color, int tolerance = 0)
    {
        var n = 0;
        for (var y = 0; y < image.Height; y++)
            for (var x = 0; x < image.Width; x++)
            {
                var p = Pixel(image, x, y);
                if (Math.Abs(p.R - color.R) <= tolerance && Math.Abs(p.G - color.G) <= tolerance && Math.Abs(p.B - color.B) <= tolerance) n++;
            }
        return n;
    }

    /// <summary>Number of distinct colours: a blank or flat image has very few.</summary>
    public static int DistinctColors(RgbImage image)
    {
        var set = new HashSet<int>();
        for (var i = 0; i < image.Pixels.Length; i += image.Channels)
            set.Add(image.Channels >= 3 ? image.Pixels[i] << 16 | image.Pixels[i + 1] << 8 | image.Pixels[i + 2] : image.Pixels[i]);
        return set.Count;
    }

    /// <summary>Encodes as PNG and decodes with the independent reader: the file must be valid and identical.</summary>
    public static RgbImage RoundTripPng(RgbImage image)
    {
        var decoded = PngTestReader.Decode(PngEncoder.Encode(image));
        Assert.Equal((image.Width, image.Height, image.Channels), (decoded.Width, decoded.Height, decoded.Channels));
        Assert.Equal(image.Pixels, decoded.Pixels);
        return decoded;
    }
}
