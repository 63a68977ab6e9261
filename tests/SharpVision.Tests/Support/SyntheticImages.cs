using SharpVision.Imaging;

namespace SharpVision.Tests.Support;

/// <summary>Writes small, learnable image-folder datasets (real PNG files) for end-to-end tests.</summary>
public static class SyntheticImages
{
    /// <summary>The classes: horizontal stripes, vertical stripes, checkerboard.</summary>
    public static readonly string[] Classes = { "horizontal", "vertical", "checker" };

    /// <summary>One image of class <paramref name="label"/> with seeded colour and noise.</summary>
    public static RgbImage Make(int label, int size, Random rng)
    {
        var img = new RgbImage(size, size);
        var period = 2 + rng.Next(2);
        var phase = rng.Next(period * 2);
        var colour = new[] { (byte)rng.Next(150, 256), (byte)rng.Next(150, 256), (byte)rng.Next(150, 256) };
        for (var y = 0; y < size; y++)
        for (var x = 0; x < size; x++)
        {
            var on = label switch
            {
                0 => ((y + phase) / period) % 2 == 0,
                1 => ((x + phase) / period) % 2 == 0,
                _ => (((x + phase) / period) + ((y + phase) / period)) % 2 == 0,
            };
            var o = img.Offset(x, y);
            for (var c = 0; c < 3; c++)
            {
                var v = (on ? colour[c] : 30) + rng.Next(-25, 26);
                img.Pixels[o + c] = (byte)Math.Clamp(v, 0, 255);
            }
        }
        return img;
    }

    /// <summary>Creates root/&lt;class&gt;/NNN.png with <paramref name="perClass"/> images per class.</summary>
    public static string CreateFolder(string root, int perClass, int size = 16, int seed = 0, int classes = 3)
    {
        var rng = new Random(seed);
        for (var c = 0; c < classes; c++)
        {
            var dir = Path.Combine(root, Classes[c]);
            Directory.CreateDirectory(dir);
            for (var i = 0; i < perClass; i++) PngEncoder.Save(Make(c, size, rng), Path.Combine(dir, $"{i:000}.png"));
        }
        return root;
    }
}
