using SharpVision.Engine;
using SharpVision.Imaging;

namespace SharpVision.Augmentation;

/// <summary>
/// The textbook augmentation figure: the original image followed by random variants, laid out in a near-square grid
/// (row by row) with white gaps. Save the result with <see cref="PngEncoder.Save"/>.
/// </summary>
public static class AugmentationPreview
{
    /// <summary>Gap between tiles in pixels.</summary>
    public const int Gap = 4;

    /// <summary>Number of tile columns for <paramref name="tiles"/> tiles: ⌈√tiles⌉.</summary>
    public static int Columns(int tiles) => (int)Math.Ceiling(Math.Sqrt(tiles));

    /// <summary>
    /// Renders the original and <paramref name="variants"/> augmented copies of <paramref name="source"/> (RGBA loses its
    /// alpha channel; grey stays grey). With MixUp/CutMix in the spec the variants are also mixed with each other, which
    /// shows the effect even though a real batch mixes different images.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="variants"/> is not in 1..100.</exception>
    public static RgbImage Render(RgbImage source, AugmentationSpec spec, int variants = 9, ulong seed = 0)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(spec);
        if (variants is < 1 or > 100) throw new ArgumentOutOfRangeException(nameof(variants), variants, "variants must be in 1..100");

        var (pixels, channels) = DropAlpha(source);
        int w = source.Width, h = source.Height;
        var augmented = Augment(pixels, channels, w, h, spec, variants, seed);

        var tiles = variants + 1;
        var columns = Columns(tiles);
        var rows = (tiles + columns - 1) / columns;
        var gridW = columns * w + (columns - 1) * Gap;
        var gridH = rows * h + (rows - 1) * Gap;
        var grid = new byte[gridW * gridH * channels];
        Array.Fill(grid, (byte)255);
        var tileBytes = w * h * channels;
        for (var t = 0; t < tiles; t++)
        {
            var tile = t == 0 ? pixels.AsSpan() : augmented.AsSpan((t - 1) * tileBytes, tileBytes);
            int ox = t % columns * (w + Gap), oy = t / columns * (h + Gap);
            for (var y = 0; y < h; y++)
                tile.Slice(y * w * channels, w * channels).CopyTo(grid.AsSpan(((oy + y) * gridW + ox) * channels));
        }
        return new RgbImage(gridW, gridH, channels, grid);
    }

    /// <summary><paramref name="count"/> random variants of <paramref name="source"/> under <paramref name="spec"/> (seeded), without the grid.</summary>
    public static IReadOnlyList<RgbImage> Variants(RgbImage source, AugmentationSpec spec, int count, ulong seed = 0)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(spec);
        if (count is < 1 or > 100) throw new ArgumentOutOfRangeException(nameof(count), count, "count must be in 1..100");
        var (pixels, channels) = DropAlpha(source);
        var bytes = Augment(pixels, channels, source.Width, source.Height, spec, count, seed);
        var tile = source.Width * source.Height * channels;
        return Enumerable.Range(0, count).Select(i => new RgbImage(source.Width, source.Height, channels, bytes.AsSpan(i * tile, tile).ToArray())).ToList();
    }

    private static byte[] Augment(byte[] pixels, int channels, int w, int h, AugmentationSpec spec, int variants, ulong seed)
    {
        byte[] augmented;
        using (var scope = Torch.NewDisposeScope())
        using (var generator = new Generator(seed))
        {
            var original = Tensor.FromImageBytes(pixels, 1, h, w, channels).To(DType.Float32) / 255.0;
            var batch = original.Repeat(variants, 1, 1, 1);
            var x = new Augmenter(spec).Apply(batch, generator);
            var mixer = new BatchMixer(spec);
            if (mixer.Enabled)
            {
                var labels = Tensor.Zeros(new long[] { variants }, DType.Int64);
                x = mixer.Apply(x, labels, 1, generator).Images;
            }
            var bytes = (x.Clamp(0, 1) * 255.0).Round().To(DType.UInt8).Permute(0, 2, 3, 1).Contiguous();
            augmented = bytes.ToArray<byte>();
        }

        return augmented;
    }

    private static (byte[] Pixels, int Channels) DropAlpha(RgbImage image)
    {
        if (image.Channels != 4) return (image.Pixels, image.Channels);
        var count = image.Width * image.Height;
        var rgb = new byte[count * 3];
        for (var i = 0; i < count; i++)
        {
            rgb[i * 3] = image.Pixels[i * 4];
            rgb[i * 3 + 1] = image.Pixels[i * 4 + 1];
            rgb[i * 3 + 2] = image.Pixels[i * 4 + 2];
        }
        return (rgb, 3);
    }
}
