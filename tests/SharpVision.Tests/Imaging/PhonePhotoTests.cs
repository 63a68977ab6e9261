using System.Buffers.Binary;
using SharpVision.Imaging;
using static SharpVision.Tests.Imaging.ImageFixtures;

namespace SharpVision.Tests.Imaging;

/// <summary>Photos as phones and browsers send them: 12-megapixel JPEGs decoded at the model's scale, WebP, HEIC/AVIF refused by name.</summary>
public class PhonePhotoTests
{
    /// <summary>A 12-megapixel (4032×3024) gradient JPEG, the size of a typical phone photo.</summary>
    private static readonly Lazy<byte[]> TwelveMegapixels = new(() => JpegEncoder.Encode(Gradient(4032, 3024), 85));

    [Theory]
    [InlineData(4032, 3024, 224, 504, 378)]   // 1/8
    [InlineData(4032, 3024, 400, 1008, 756)]  // 2/8
    [InlineData(3024, 4032, 1000, 1134, 1512)] // 3/8 (portrait)
    [InlineData(100, 80, 224, 100, 80)]       // already small: full size
    public void ScaleIsTheSmallestEighthThatKeepsTheShorterSideAboveTheTarget(int w, int h, int target, int ew, int eh) =>
        Assert.Equal((ew, eh), JpegDecoder.ScaledSize(w, h, target));

    [Fact]
    public void TwelveMegapixelJpegDecodesAtAnEighthWithLittleMemory()
    {
        var jpeg = TwelveMegapixels.Value;
        var options = new ImageDecodeOptions { TargetSize = 224 };
        ImageDecoder.Decode(jpeg, "warm-up.jpg", options);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var small = ImageDecoder.Decode(jpeg, "phone.jpg", options);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal((504, 378), (small.Width, small.Height));
        // The full decode alone would be 4032·3024·3 = 36.6 MB; the 1/8 decode holds 0.57 MB of pixels.
        Assert.True(allocated < 2_000_000, $"{allocated:N0} bytes allocated");
        // Same picture: the gradient's colours at the same relative places.
        var full = ImageDecoder.Decode(jpeg, "full.jpg");
        foreach (var (fx, fy) in new[] { (0.1, 0.1), (0.5, 0.5), (0.9, 0.8) })
        {
            var a = At(small, (int)(fx * small.Width), (int)(fy * small.Height));
            var b = At(full, (int)(fx * full.Width), (int)(fy * full.Height));
            Assert.InRange(Math.Abs(a.R - b.R) + Math.Abs(a.G - b.G) + Math.Abs(a.B - b.B), 0, 12);
        }
    }

    [Fact]
    public void ScaledDecodeStillAppliesTheExifOrientation()
    {
        var rotated = WithExifOrientation(TwelveMegapixels.Value, 6);
        var image = ImageDecoder.Decode(rotated, "portrait.jpg", new ImageDecodeOptions { TargetSize = 224 });
        Assert.Equal((378, 504), (image.Width, image.Height));
        // Rotated 90° clockwise: the stored left edge (red 0) is now the top, the stored top (green 0) the right.
        var topLeft = At(image, 2, 2);
        var topRight = At(image, image.Width - 3, 2);
        Assert.True(topLeft.G > 200 && topRight.G < 40, $"top-left {topLeft}, top-right {topRight}");
        Assert.True(topLeft.R < 20, $"top-left {topLeft}");
    }

    [Fact]
    public void GrayscaleAndCmykJpegsScaleToo()
    {
        var gray = ImageDecoder.Decode(JpegEncoder.Encode(Gradient(800, 600, channels: 1), 90), "gray.jpg", new ImageDecodeOptions { TargetSize = 100 });
        Assert.Equal((200, 150), (gray.Width, gray.Height)); // 1/8 would leave the shorter side at 75
        var p = At(gray, 50, 30);
        Assert.True(p.R == p.G && p.G == p.B);
        var cmyk = new RgbImage(800, 600, 4);
        for (var i = 0; i < 800 * 600; i++) { cmyk.Pixels[i * 4] = 255; cmyk.Pixels[i * 4 + 3] = 255; } // Adobe-inverted pure red
        var red = ImageDecoder.Decode(JpegEncoder.Encode(cmyk, 95, JpegSubsampling.Chroma444, cmyk: true), "cmyk.jpg", new ImageDecodeOptions { TargetSize = 100 });
        Assert.Equal((200, 150), (red.Width, red.Height));
        Assert.InRange(At(red, 50, 30).R, 245, 255);
        Assert.InRange(At(red, 50, 30).G, 0, 10);
    }

    [Fact]
    public void LossyWebPDecodesCloseToTheOriginal()
    {
        var original = Gradient(64, 48);
        var webp = WebPEncoder.Encode(original, 90);
        Assert.Equal(ImageFormat.WebP, ImageDecoder.DetectFormat(webp));
        Assert.Equal(new ImageInfo(ImageFormat.WebP, 64, 48), ImageDecoder.ReadInfo(webp, "photo.webp"));
        var decoded = ImageDecoder.Decode(webp, "photo.webp");
        Assert.Equal((64, 48, 3), (decoded.Width, decoded.Height, decoded.Channels));
        Assert.True(MeanAbsDiff(original, decoded) < 4, $"mean difference {MeanAbsDiff(original, decoded):0.00}");
    }

    [Fact]
    public void LosslessWebPRoundTripsExactlyAndAlphaIsCompositedOnWhite()
    {
        var original = Gradient(33, 17);
        var decoded = ImageDecoder.Decode(WebPEncoder.Encode(original, quality: null), "exact.webp");
        Assert.Equal(original.Pixels, decoded.Pixels);

        var rgba = new RgbImage(8, 8, 4);
        for (var i = 0; i < 64; i++) { rgba.Pixels[i * 4] = 255; rgba.Pixels[i * 4 + 3] = (byte)(i < 32 ? 0 : 255); } // top transparent, bottom opaque red
        var composited = ImageDecoder.Decode(WebPEncoder.Encode(rgba), "alpha.webp");
        Assert.Equal((255, 255, 255), At(composited, 4, 1));
        Assert.Equal((255, 0, 0), At(composited, 4, 6));
    }

    [Fact]
    public void TruncatedOrForeignWebPIsRefusedWithAReason()
    {
        var webp = WebPEncoder.Encode(Gradient(64, 48), 90);
        var truncated = Assert.Throws<InvalidImageException>(() => ImageDecoder.Decode(webp.AsSpan(0, webp.Length / 2), "cut.webp"));
        Assert.Contains("WebP", truncated.Reason);
        var header = Assert.Throws<InvalidImageException>(() => ImageDecoder.Decode(webp.AsSpan(0, 20), "tiny.webp"));
        Assert.Contains("truncated WebP", header.Reason);
    }

    /// <summary>An extended-format (VP8X) WebP header declaring <paramref name="width"/>×<paramref name="height"/>, without pixel data.</summary>
    private static byte[] WebPHeaderDeclaring(int width, int height)
    {
        var d = new byte[30];
        "RIFF"u8.CopyTo(d);
        BinaryPrimitives.WriteUInt32LittleEndian(d.AsSpan(4), 22);
        "WEBPVP8X"u8.CopyTo(d.AsSpan(8));
        BinaryPrimitives.WriteUInt32LittleEndian(d.AsSpan(16), 10);
        int w = width - 1, h = height - 1;
        d[24] = (byte)w; d[25] = (byte)(w >> 8); d[26] = (byte)(w >> 16);
        d[27] = (byte)h; d[28] = (byte)(h >> 8); d[29] = (byte)(h >> 16);
        return d;
    }

    [Fact]
    public void AbsurdDeclaredSizesAreRefusedFromTheHeaderBeforeDecoding()
    {
        foreach (var (bytes, name) in new[] { (PngHeaderOnly(30000, 30000), "huge.png"), (WebPHeaderDeclaring(30000, 30000), "huge.webp"), (JpegDeclaring(30000, 30000), "huge.jpg") })
        {
            ImageDecoder.ReadInfo(PngHeaderOnly(8, 8), "warm-up.png");
            Assert.Throws<InvalidImageException>(() => ImageDecoder.Decode(bytes, name)); // warm-up: JIT and first-call allocations
            var before = GC.GetAllocatedBytesForCurrentThread();
            var e = Assert.Throws<InvalidImageException>(() => ImageDecoder.Decode(bytes, name));
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Contains("30000×30000", e.Reason);
            Assert.Contains("decompression bomb", e.Reason);
            Assert.True(allocated < 200_000, $"{name}: {allocated:N0} bytes allocated before refusing"); // 30000² RGB would be 2.7 GB
        }
        Assert.Equal(new ImageInfo(ImageFormat.WebP, 1000, 800), ImageDecoder.ReadInfo(WebPHeaderDeclaring(1000, 800), "ok.webp"));
    }

    [Theory]
    [InlineData("\u0000\u0000\u0000\u0018ftypheic\u0000\u0000\u0000\u0000", ImageFormat.Heif, "HEIC/HEIF")]
    [InlineData("\u0000\u0000\u0000\u0018ftypmif1\u0000\u0000\u0000\u0000", ImageFormat.Heif, "HEIC/HEIF")]
    [InlineData("\u0000\u0000\u0000\u001CftypavifXXXX", ImageFormat.Avif, "AVIF")]
    [InlineData("GIF89a\u0001\u0000\u0001\u0000\u0000\u0000\u0000", ImageFormat.Gif, "GIF")]
    [InlineData("II*\u0000\u0008\u0000\u0000\u0000", ImageFormat.Tiff, "TIFF")]
    public void UnsupportedFormatsAreATypedErrorNamingTheFormat(string header, ImageFormat format, string name)
    {
        var bytes = header.Select(c => (byte)c).ToArray();
        var e = Assert.Throws<UnsupportedImageFormatException>(() => ImageDecoder.Decode(bytes, "upload"));
        Assert.Equal(format, e.Format);
        Assert.Equal(name, e.FormatName);
        Assert.Equal($"unsupported format: {name} (only JPEG, PNG and WebP are decoded)", e.Reason);
        Assert.IsAssignableFrom<InvalidImageException>(e); // callers that catch every bad image still do
    }
}
