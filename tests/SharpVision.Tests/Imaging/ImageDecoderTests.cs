using SharpVision.Imaging;
using SharpVision.Tests.Support;
using static SharpVision.Tests.Imaging.ImageFixtures;

namespace SharpVision.Tests.Imaging;

public class ImageDecoderTests
{
    [Fact]
    public void Jpeg_RoundTrip_IsCloseToTheOriginal()
    {
        var original = Gradient(40, 24);
        var decoded = ImageDecoder.Decode(Jpeg(original), "gradient.jpg");
        Assert.Equal((40, 24, 3), (decoded.Width, decoded.Height, decoded.Channels));
        Assert.True(MeanAbsDiff(original, decoded) < 3, $"mean abs diff {MeanAbsDiff(original, decoded)}");
    }

    [Fact]
    public void ProgressiveJpeg_DecodesLikeBaseline()
    {
        var original = Gradient(48, 32);
        var progressive = Jpeg(original, progressive: true);
        Assert.Contains(progressive.Select((b, i) => (b, i)), p => p.b == 0xFF && p.i + 1 < progressive.Length && progressive[p.i + 1] == 0xC2); // SOF2
        var decoded = ImageDecoder.Decode(progressive, "progressive.jpg");
        Assert.True(MeanAbsDiff(original, decoded) < 3);
    }

    [Fact]
    public void GrayscaleJpeg_DecodesToRgbWithEqualChannels()
    {
        var gray = Gradient(32, 16, channels: 1);
        var decoded = ImageDecoder.Decode(JpegEncoder.Encode(gray, 95), "gray.jpg");
        Assert.Equal(3, decoded.Channels);
        for (var i = 0; i < decoded.Width * decoded.Height; i++)
        {
            Assert.Equal(decoded.Pixels[i * 3], decoded.Pixels[i * 3 + 1]);
            Assert.Equal(decoded.Pixels[i * 3], decoded.Pixels[i * 3 + 2]);
            Assert.InRange(Math.Abs(decoded.Pixels[i * 3] - gray.Pixels[i]), 0, 6);
        }
    }

    [Fact]
    public void CmykJpeg_WithAdobeMarker_DecodesToRgb()
    {
        // Adobe CMYK stores inverted inks: pure red is C=0 M=1 Y=1 K=0 → stored 255, 0, 0, 255.
        var cmyk = new RgbImage(16, 16, 4);
        for (var i = 0; i < 256; i++) { cmyk.Pixels[i * 4] = 255; cmyk.Pixels[i * 4 + 3] = 255; }
        var jpeg = JpegEncoder.Encode(cmyk, 95, JpegSubsampling.Chroma444, cmyk: true);
        var decoded = ImageDecoder.Decode(jpeg, "cmyk.jpg");
        Assert.Equal(3, decoded.Channels);
        var (r, g, b) = At(decoded, 8, 8);
        Assert.InRange(r, 245, 255);
        Assert.InRange(g, 0, 10);
        Assert.InRange(b, 0, 10);
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(3, false)]
    [InlineData(6, false)]
    [InlineData(8, true)]
    public void ExifOrientation_IsApplied(int orientation, bool littleEndian)
    {
        var jpeg = WithExifOrientation(Jpeg(RedLeftBlueRight(32, 16)), orientation, littleEndian);
        var img = ImageDecoder.Decode(jpeg, "exif.jpg");
        bool IsRed((int R, int G, int B) p) => p.R > 200 && p.B < 60;
        bool IsBlue((int R, int G, int B) p) => p.B > 200 && p.R < 60;
        switch (orientation)
        {
            case 1:
                Assert.Equal((32, 16), (img.Width, img.Height));
                Assert.True(IsRed(At(img, 4, 8)) && IsBlue(At(img, 28, 8)));
                break;
            case 3: // 180°: red moves right
                Assert.Equal((32, 16), (img.Width, img.Height));
                Assert.True(IsBlue(At(img, 4, 8)) && IsRed(At(img, 28, 8)));
                break;
            case 6: // 90° clockwise: the left half goes to the top
                Assert.Equal((16, 32), (img.Width, img.Height));
                Assert.True(IsRed(At(img, 8, 4)) && IsBlue(At(img, 8, 28)));
                break;
            case 8: // 90° counter-clockwise: the left half goes to the bottom
                Assert.Equal((16, 32), (img.Width, img.Height));
                Assert.True(IsBlue(At(img, 8, 4)) && IsRed(At(img, 8, 28)));
                break;
        }
    }

    [Fact]
    public void ExifOrientation_CanBeIgnored()
    {
        var jpeg = WithExifOrientation(Jpeg(RedLeftBlueRight(32, 16)), 6);
        var img = ImageDecoder.Decode(jpeg, "exif.jpg", new ImageDecodeOptions { ApplyExifOrientation = false });
        Assert.Equal((32, 16), (img.Width, img.Height));
    }

    [Fact]
    public void ExifOrientation_Apply_MapsEveryPixel()
    {
        // 3×2 image, pixel value = index: row 0 = 0 1 2, row 1 = 3 4 5.
        var src = new RgbImage(3, 2, 1, new byte[] { 0, 1, 2, 3, 4, 5 });
        Assert.Equal(new byte[] { 2, 1, 0, 5, 4, 3 }, ExifOrientation.Apply(src, 2).Pixels);
        Assert.Equal(new byte[] { 5, 4, 3, 2, 1, 0 }, ExifOrientation.Apply(src, 3).Pixels);
        Assert.Equal(new byte[] { 3, 4, 5, 0, 1, 2 }, ExifOrientation.Apply(src, 4).Pixels);
        Assert.Equal(new byte[] { 0, 3, 1, 4, 2, 5 }, ExifOrientation.Apply(src, 5).Pixels);
        Assert.Equal(new byte[] { 3, 0, 4, 1, 5, 2 }, ExifOrientation.Apply(src, 6).Pixels);
        Assert.Equal(new byte[] { 5, 2, 4, 1, 3, 0 }, ExifOrientation.Apply(src, 7).Pixels);
        Assert.Equal(new byte[] { 2, 5, 1, 4, 0, 3 }, ExifOrientation.Apply(src, 8).Pixels);
        Assert.Equal((2, 3), (ExifOrientation.Apply(src, 6).Width, ExifOrientation.Apply(src, 6).Height));
    }

    [Fact]
    public void Png_Rgb_RoundTripsExactly()
    {
        var original = Gradient(20, 10);
        var decoded = ImageDecoder.Decode(PngEncoder.Encode(original), "rgb.png");
        Assert.Equal(original.Pixels, decoded.Pixels);
    }

    [Fact]
    public void Png_Gray_ExpandsToRgb()
    {
        var gray = Gradient(8, 4, channels: 1);
        var decoded = ImageDecoder.Decode(PngEncoder.Encode(gray), "gray.png");
        for (var i = 0; i < 32; i++) Assert.Equal((gray.Pixels[i], gray.Pixels[i], gray.Pixels[i]), (decoded.Pixels[i * 3], decoded.Pixels[i * 3 + 1], decoded.Pixels[i * 3 + 2]));
    }

    [Fact]
    public void Png_Alpha_IsCompositedOnWhite()
    {
        var rgba = new RgbImage(3, 1, 4, new byte[] { 255, 0, 0, 255, 255, 0, 0, 0, 255, 0, 0, 128 });
        var decoded = ImageDecoder.Decode(PngEncoder.Encode(rgba), "alpha.png");
        Assert.Equal((255, 0, 0), At(decoded, 0, 0));
        Assert.Equal((255, 255, 255), At(decoded, 1, 0));
        var half = At(decoded, 2, 0);
        Assert.Equal(255, half.R);
        Assert.InRange(half.G, 125, 129);
        Assert.Equal(half.G, half.B);
    }

    [Fact]
    public void Png_Palette_IsExpanded()
    {
        var palette = new byte[] { 255, 0, 0, 0, 255, 0, 0, 0, 255 };
        var png = Png(3, 1, 8, 3, new byte[] { 2, 0, 1 }, palette);
        var decoded = ImageDecoder.Decode(png, "palette.png");
        Assert.Equal(new byte[] { 0, 0, 255, 255, 0, 0, 0, 255, 0 }, decoded.Pixels);
    }

    [Fact]
    public void Png_SixteenBit_IsReducedToEightBit()
    {
        // Two RGB pixels: 0x8080 grey and 0xFFFF/0x0000/0x0000 red.
        var rows = new byte[] { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0xFF, 0xFF, 0, 0, 0, 0 };
        var decoded = ImageDecoder.Decode(Png(2, 1, 16, 2, rows), "deep.png");
        Assert.Equal(new byte[] { 128, 128, 128, 255, 0, 0 }, decoded.Pixels);
    }

    [Fact]
    public void ReadInfo_ReportsFormatAndSize()
    {
        Assert.Equal(new ImageInfo(ImageFormat.Jpeg, 40, 24), ImageDecoder.ReadInfo(Jpeg(Gradient(40, 24)), "a.jpg"));
        Assert.Equal(new ImageInfo(ImageFormat.Png, 7, 5), ImageDecoder.ReadInfo(PngEncoder.Encode(Gradient(7, 5)), "a.png"));
        Assert.Equal(ImageFormat.Gif, ImageDecoder.DetectFormat("GIF89a\x01\0\x01\0"u8));
    }

    [Fact]
    public void ReadInfoFile_FindsTheFrameHeaderAfterLargeMetadata()
    {
        using var dir = new TempDirectory();
        // A 100 KB APP2 segment pushes the frame header past the first 64 KiB probe.
        var jpeg = Jpeg(Gradient(24, 12));
        var big = new byte[4 + 60000];
        big[0] = 0xFF; big[1] = 0xE2; big[2] = (60002 >> 8) & 0xFF; big[3] = 60002 & 0xFF;
        var padded = jpeg.Take(2).Concat(big).Concat(big).Concat(jpeg.Skip(2)).ToArray();
        File.WriteAllBytes(dir.File("big.jpg"), padded);
        Assert.Equal(new ImageInfo(ImageFormat.Jpeg, 24, 12), ImageDecoder.ReadInfoFile(dir.File("big.jpg")));
        Assert.Equal(24, ImageDecoder.DecodeFile(dir.File("big.jpg")).Width);
    }

    [Fact]
    public void JpegEncoderAndDecoder_AreThreadSafe()
    {
        var images = Enumerable.Range(0, 24).Select(i => Gradient(16 + i, 16)).ToArray();
        var expected = images.Select(i => ImageDecoder.Decode(JpegEncoder.Encode(i, 80), "x").Pixels).ToArray();
        var actual = new byte[images.Length][];
        Parallel.For(0, images.Length * 4, new ParallelOptions { MaxDegreeOfParallelism = 8 },
            k => actual[k % images.Length] = ImageDecoder.Decode(JpegEncoder.Encode(images[k % images.Length], 80), "x").Pixels);
        for (var i = 0; i < images.Length; i++) Assert.Equal(expected[i], actual[i]);
    }
}
