using SharpVision.Augmentation;
using SharpVision.Engine;

namespace SharpVision.Tests.Augmentation;

public class AugmenterTests
{
    // Every per-image operation on, mixing off.
    internal const string Everything =
        "flip=hv,rotate=30,shift=0.1,zoom=0.1,shear=10,crop=0.3:1,brightness=0.75:1.25,channel_shift=0.1,jitter=0.3,hue=0.1,noise=0.05,erase=0.5";

    internal static Tensor RandomImages(long n = 4, long c = 3, long h = 16, long w = 20, ulong seed = 7)
    {
        using var g = new Generator(seed);
        return Tensor.Rand(new long[] { n, c, h, w }, g);
    }

    // A zero image with one bright pixel at (x, y).
    private static Tensor Dot(int width, int height, int x, int y)
    {
        var data = new float[width * height];
        data[y * width + x] = 1;
        return Tensor.FromArray(data, 1, 1, height, width);
    }

    private static (int X, int Y, float Value) Brightest(Tensor image)
    {
        var shape = image.Shape;
        int h = (int)shape[2], w = (int)shape[3];
        var v = image.ToArray<float>();
        var best = 0;
        for (var i = 1; i < h * w; i++) if (v[i] > v[best]) best = i;
        return (best % w, best / w, v[best]);
    }

    [Fact]
    public void IdentitySpecReturnsAnExactCopy()
    {
        using var scope = Torch.NewDisposeScope();
        var images = RandomImages();
        var augmenter = new Augmenter(AugmentationSpec.Parse("mixup=0.2,cutmix=1"));
        Assert.True(augmenter.IsIdentity);
        using var g = new Generator(1);
        var before = g.GetState();
        var output = augmenter.Apply(images, g);
        Assert.NotSame(images, output);
        Assert.True(output.Equal(images));
        Assert.Equal(before, g.GetState()); // nothing drawn
    }

    [Fact]
    public void HorizontalFlipTransformEqualsTensorFlip()
    {
        using var scope = Torch.NewDisposeScope();
        var images = RandomImages();
        var transforms = Enumerable.Repeat(new AffineTransform { FlipHorizontal = true }, 4).ToArray();
        var warped = Augmenter.Warp(images, transforms);
        Assert.True(warped.AllClose(images.Flip(3), rtol: 0, atol: 1e-5));
        var vertical = Augmenter.Warp(images, Enumerable.Repeat(new AffineTransform { FlipVertical = true }, 4).ToArray());
        Assert.True(vertical.AllClose(images.Flip(2), rtol: 0, atol: 1e-5));
    }

    [Fact]
    public void RandomHorizontalFlipGivesExactlyTheOriginalOrItsMirror()
    {
        using var scope = Torch.NewDisposeScope();
        var images = RandomImages(n: 32);
        using var g = new Generator(3);
        var output = new Augmenter(AugmentationSpec.Parse("flip=h")).Apply(images, g);
        var flipped = images.Flip(3);
        int same = 0, mirrored = 0;
        for (var i = 0; i < 32; i++)
        {
            if (output.Select(0, i).Equal(images.Select(0, i))) same++;
            else if (output.Select(0, i).Equal(flipped.Select(0, i))) mirrored++;
        }
        Assert.Equal(32, same + mirrored);
        Assert.InRange(mirrored, 6, 26); // p = ½
    }

    [Fact]
    public void RotationBy90DegreesTurnsContentCounterClockwise()
    {
        using var scope = Torch.NewDisposeScope();
        // Square, odd size: the centre is pixel (4, 4); a dot two pixels to the right ends up two pixels above it.
        var square = Augmenter.Warp(Dot(9, 9, 6, 4), new[] { new AffineTransform { Rotation = 90 } }, FillMode.Constant);
        var (x, y, v) = Brightest(square);
        Assert.Equal((4, 2), (x, y));
        Assert.Equal(1f, v, 3);
        Assert.Equal(1.0, square.Sum().Item(), 3);

        // Non-square (12×8): angles are kept in pixel units, so (8, 4) → (6, 1) about the centre (6, 4).
        var wide = Augmenter.Warp(Dot(12, 8, 8, 4), new[] { new AffineTransform { Rotation = 90 } }, FillMode.Constant);
        (x, y, v) = Brightest(wide);
        Assert.Equal((6, 1), (x, y));
        Assert.Equal(1f, v, 3);
    }

    [Fact]
    public void ShiftMovesContentByTheGivenFraction()
    {
        using var scope = Torch.NewDisposeScope();
        var images = RandomImages(n: 1, h: 8, w: 8);
        var shifted = Augmenter.Warp(images, new[] { new AffineTransform { ShiftX = 0.25, ShiftY = -0.125 } }, FillMode.Constant);
        // Content moves 2 px right and 1 px up: out[y, x] = in[y + 1, x − 2].
        var expected = images.Narrow(2, 1, 7).Narrow(3, 0, 6);
        Assert.True(shifted.Narrow(2, 0, 7).Narrow(3, 2, 6).AllClose(expected, rtol: 0, atol: 1e-5));
        // The uncovered band is the constant fill (0).
        Assert.Equal(0.0, shifted.Narrow(3, 0, 2).Abs().Sum().Item(), 6);
        Assert.Equal(0.0, shifted.Narrow(2, 7, 1).Abs().Sum().Item(), 6);
    }

    [Fact]
    public void FillModesFillTheUncoveredAreaAsKerasDoes()
    {
        using var scope = Torch.NewDisposeScope();
        var images = RandomImages(n: 1, c: 1, h: 8, w: 8);
        var shift = new[] { new AffineTransform { ShiftX = 0.25 } };
        var column = (Tensor t, long x) => t.Narrow(3, x, 1);

        var constant = Augmenter.Warp(images, shift, FillMode.Constant, fillValue: 0.3);
        Assert.True(constant.Narrow(3, 0, 2).AllClose(Tensor.Full(new long[] { 1, 1, 8, 2 }, 0.3), rtol: 0, atol: 1e-5));

        var nearest = Augmenter.Warp(images, shift, FillMode.Nearest);
        Assert.True(column(nearest, 0).AllClose(column(images, 0), rtol: 0, atol: 1e-5));
        Assert.True(column(nearest, 1).AllClose(column(images, 0), rtol: 0, atol: 1e-5));

        // Reflect mirrors about the border, repeating the edge pixel: … b a | a b …
        var reflect = Augmenter.Warp(images, shift, FillMode.Reflect);
        Assert.True(column(reflect, 0).AllClose(column(images, 1), rtol: 0, atol: 1e-5));
        Assert.True(column(reflect, 1).AllClose(column(images, 0), rtol: 0, atol: 1e-5));
    }

    [Fact]
    public void ZoomAndCropMagnifyTheCentre()
    {
        using var scope = Torch.NewDisposeScope();
        // A dot one pixel right of the centre (4, 4) of a 9×9 image becomes a 3×3 block centred three pixels right of
        // it under 3× magnification, either by zoom or by a centred crop of a third of the size.
        var zoomed = Augmenter.Warp(Dot(9, 9, 5, 4), new[] { new AffineTransform { Zoom = 3 } }, FillMode.Constant, interpolation: GridSampleMode.Nearest);
        Assert.Equal((7.0, 4.0, 9.0), Centroid(zoomed));
        var cropped = Augmenter.Warp(Dot(9, 9, 5, 4), new[] { new AffineTransform { CropWidth = 1.0 / 3, CropHeight = 1.0 / 3 } },
            FillMode.Constant, interpolation: GridSampleMode.Nearest);
        Assert.Equal((7.0, 4.0, 9.0), Centroid(cropped));
        // An off-centre crop window: the right third of the middle row band shows the dot's right neighbourhood.
        var offCentre = Augmenter.Warp(Dot(9, 9, 7, 4), new[] { new AffineTransform { CropWidth = 1.0 / 3, CropHeight = 1.0 / 3, CropCenterX = 1.0 / 3 } },
            FillMode.Constant, interpolation: GridSampleMode.Nearest);
        Assert.Equal((4.0, 4.0, 9.0), Centroid(offCentre));
    }

    private static (double X, double Y, double Mass) Centroid(Tensor image)
    {
        var shape = image.Shape;
        int h = (int)shape[2], w = (int)shape[3];
        var v = image.ToArray<float>();
        double sx = 0, sy = 0, m = 0;
        for (var i = 0; i < h * w; i++)
        {
            sx += v[i] * (i % w);
            sy += v[i] * (i / w);
            m += v[i];
        }
        return (Math.Round(sx / m, 6), Math.Round(sy / m, 6), Math.Round(m, 6));
    }

    [Fact]
    public void SameGeneratorStateGivesIdenticalOutputAndOtherSeedsDiffer()
    {
        using var scope = Torch.NewDisposeScope();
        var images = RandomImages(n: 6);
        var augmenter = new Augmenter(AugmentationSpec.Parse(Everything));
        using var g1 = new Generator(42);
        using var g2 = new Generator(42);
        using var g3 = new Generator(43);
        var a = augmenter.Apply(images, g1);
        var b = augmenter.Apply(images, g2);
        var c = augmenter.Apply(images, g3);
        Assert.True(a.Equal(b));
        Assert.False(a.Equal(c));

        // Resuming from a saved state reproduces the next batch exactly.
        var state = g1.GetState();
        var next = augmenter.Apply(images, g1);
        using var resumed = new Generator(0);
        resumed.SetState(state);
        Assert.True(augmenter.Apply(images, resumed).Equal(next));
        Assert.False(next.Equal(a));
    }

    [Fact]
    public void OutputKeepsShapeDtypeAndLeavesTheInputAlone()
    {
        using var scope = Torch.NewDisposeScope();
        var images = RandomImages();
        var copy = images.Clone();
        using var g = new Generator(5);
        var output = new Augmenter(AugmentationSpec.Parse(Everything)).Apply(images, g);
        Assert.Equal(images.Shape, output.Shape);
        Assert.Equal(DType.Float32, output.DType);
        Assert.True(images.Equal(copy));
        Assert.False(output.Equal(images));

        var doubles = images.To(DType.Float64);
        Assert.Equal(DType.Float64, new Augmenter(AugmentationSpec.Parse(Everything)).Apply(doubles, g).DType);
    }

    [Fact]
    public void PhotometricOperationsStayInTheUnitRange()
    {
        using var scope = Torch.NewDisposeScope();
        var images = RandomImages(n: 16);
        var spec = AugmentationSpec.Parse("brightness=0:3,channel_shift=0.5,jitter=0.9,hue=0.5,noise=0.5,erase=1");
        using var g = new Generator(9);
        var output = new Augmenter(spec).Apply(images, g);
        Assert.True(output.Min().Item() >= 0);
        Assert.True(output.Max().Item() <= 1);
        Assert.True(output.Max().Item() > 0.99); // bright factors really saturate

        var grey = RandomImages(n: 4, c: 1);
        var greyOut = new Augmenter(AugmentationSpec.Parse("jitter=0.5,hue=0.2")).Apply(grey, g);
        Assert.True(greyOut.Min().Item() >= 0 && greyOut.Max().Item() <= 1);
    }

    [Fact]
    public void BrightnessMultipliesEachImageByOneFactorFromTheRange()
    {
        using var scope = Torch.NewDisposeScope();
        var images = Tensor.Full(new long[] { 8, 3, 4, 4 }, 0.5);
        using var g = new Generator(11);
        var output = new Augmenter(AugmentationSpec.Parse("brightness=0.75:1.25")).Apply(images, g);
        for (var i = 0; i < 8; i++)
        {
            var values = output.Select(0, i).ToArray<float>();
            Assert.All(values, v => Assert.Equal(values[0], v));
            Assert.InRange(values[0], 0.375f - 1e-6f, 0.625f + 1e-6f);
        }
    }

    [Fact]
    public void RandomErasingReplacesOneRectangle()
    {
        using var scope = Torch.NewDisposeScope();
        const int n = 8, h = 20, w = 20;
        var images = Tensor.Full(new long[] { n, 3, h, w }, 0.5);
        using var g = new Generator(13);
        var output = new Augmenter(AugmentationSpec.Parse("erase=1")).Apply(images, g);
        var changed = output.Ne(images).To(DType.Float32).Sum(1).ToArray<float>(); // [n, h, w]: channels changed per pixel
        for (var i = 0; i < n; i++)
        {
            int minX = w, minY = h, maxX = -1, maxY = -1, count = 0;
            for (var y = 0; y < h; y++)
            for (var x = 0; x < w; x++)
            {
                if (changed[(i * h + y) * w + x] == 0) continue;
                count++;
                minX = Math.Min(minX, x); maxX = Math.Max(maxX, x);
                minY = Math.Min(minY, y); maxY = Math.Max(maxY, y);
            }
            Assert.True(count > 0, $"image {i} was not erased");
            Assert.Equal((maxX - minX + 1) * (maxY - minY + 1), count); // a filled rectangle
            Assert.InRange(count / (double)(h * w), 0.01, 0.4);
        }
    }

    [Fact]
    public void RejectsWhatIsNotAFloatBatch()
    {
        using var scope = Torch.NewDisposeScope();
        using var g = new Generator(1);
        var augmenter = new Augmenter(AugmentationSpec.CaseStudy);
        Assert.Throws<ArgumentException>(() => augmenter.Apply(Tensor.Zeros(new long[] { 3, 8, 8 }), g));
        var e = Assert.Throws<ArgumentException>(() => augmenter.Apply(Tensor.Zeros(new long[] { 1, 3, 8, 8 }, DType.UInt8), g));
        Assert.Contains("UInt8", e.Message);
        Assert.Throws<ArgumentException>(() => new Augmenter(AugmentationSpec.Parse("hue=0.1")).Apply(Tensor.Zeros(new long[] { 1, 4, 8, 8 }), g));
        Assert.Throws<ArgumentException>(() => Augmenter.Warp(Tensor.Zeros(new long[] { 2, 3, 8, 8 }), new[] { AffineTransform.Identity }));
    }
}
