using SharpVision.Data;
using SharpVision.Imaging;

namespace SharpVision.Tests.Data;

/// <summary>
/// An in-memory dataset whose image i is 4×4 RGB filled with (i % 256, i / 256, label); labels as given. Indices in
/// <paramref name="broken"/> throw <see cref="InvalidImageException"/> when loaded.
/// </summary>
internal sealed class SyntheticDataset(int[] labels, int classes, ISet<int>? broken = null) : ImageDataset
{
    public const int Side = 4;

    private readonly string[] names = Enumerable.Range(0, classes).Select(c => "class" + c).ToArray();

    public static SyntheticDataset Balanced(int perClass, int classes) =>
        new(Enumerable.Range(0, perClass * classes).Select(i => i % classes).ToArray(), classes);

    public override int Count => labels.Length;
    public override IReadOnlyList<string> ClassNames => names;
    public override SkippedFilesReport Skipped { get; } = new();
    public override int Label(int index) => labels[index];
    public override string Name(int index) => "synthetic:" + index;

    public override RgbImage Load(int index)
    {
        if (broken?.Contains(index) == true) throw new InvalidImageException(Name(index), "truncated JPEG (test)");
        var img = new RgbImage(Side, Side);
        for (var p = 0; p < Side * Side; p++)
        {
            img.Pixels[p * 3] = (byte)(index % 256);
            img.Pixels[p * 3 + 1] = (byte)(index / 256);
            img.Pixels[p * 3 + 2] = (byte)labels[index];
        }
        return img;
    }

    /// <summary>The dataset index encoded in image n of a uint8 [N,3,4,4] batch.</summary>
    public static int IndexOf(byte[] batchBytes, int n) => batchBytes[n * 3 * Side * Side] + 256 * batchBytes[n * 3 * Side * Side + Side * Side];
}
