using SharpVision.Imaging;
using SharpVision.Tests.Support;
using static SharpVision.Tests.Imaging.ImageFixtures;

namespace SharpVision.Tests.Imaging;

public class BadImageTests
{
    private static string Reason(byte[] data, ImageDecodeOptions? options = null)
    {
        var e = Assert.ThrowsAny<InvalidImageException>(() => ImageDecoder.Decode(data, "bad.file", options));
        Assert.Equal("bad.file", e.Source);
        Assert.StartsWith("bad.file: ", e.Message);
        return e.Reason;
    }

    [Fact]
    public void ZeroBytes() => Assert.Contains("empty file", Reason(Array.Empty<byte>()));

    [Fact]
    public void TruncatedJpeg_IsRejectedAtDecode_ButPassesTheHeaderCheck()
    {
        var jpeg = Jpeg(Gradient(64, 64));
        var cut = jpeg.Take(jpeg.Length * 2 / 3).ToArray();
        Assert.Equal(64, ImageDecoder.ReadInfo(cut, "cut.jpg").Width); // header intact
        Assert.Contains("truncated JPEG", Reason(cut));
    }

    [Fact]
    public void JpegCutInsideTheHeader() => Assert.Contains("truncated JPEG", Reason(Jpeg(Gradient(16, 16)).Take(20).ToArray()));

    [Fact]
    public void CorruptJpegScan()
    {
        var jpeg = Jpeg(Gradient(64, 64));
        var sos = Enumerable.Range(0, jpeg.Length - 1).First(i => jpeg[i] == 0xFF && jpeg[i + 1] == 0xDA);
        for (var i = sos + 20; i < jpeg.Length - 2; i += 3) jpeg[i] = 0xFF; // markers all over the entropy-coded data
        Assert.Contains("JPEG", Reason(jpeg));
    }

    [Fact]
    public void TruncatedPng()
    {
        var png = PngEncoder.Encode(Gradient(32, 32));
        Assert.Contains("PNG", Reason(png.Take(png.Length - 40).ToArray()));
        Assert.Contains("truncated PNG", Reason(png.Take(20).ToArray()));
    }

    [Fact]
    public void PngWithBadHeaderChecksum()
    {
        var png = PngEncoder.Encode(Gradient(4, 4));
        png[20] ^= 0x01;
        Assert.Contains("checksum", Reason(png));
    }

    [Fact]
    public void TextRenamedToJpg() => Assert.Contains("not an image (text?)", Reason("hello, this is a README\n"u8.ToArray()));

    [Theory]
    [InlineData("GIF89a\x01\x00\x01\x00\x00\x00\x00", "unsupported format: GIF")]
    [InlineData("\u0000\u0000\u0000\u0018ftypheic\u0000\u0000\u0000\u0000", "unsupported format: HEIC/HEIF")]
    [InlineData("\u0000\u0000\u0000\u001CftypavifXXXX", "unsupported format: AVIF")]
    [InlineData("II*\x00\x08\x00\x00\x00", "unsupported format: TIFF")]
    public void UnsupportedFormats(string header, string expected) =>
        Assert.Contains(expected, Reason(header.Select(c => (byte)c).ToArray()));

    [Fact]
    public void Bmp()
    {
        var bmp = new byte[64];
        bmp[0] = (byte)'B'; bmp[1] = (byte)'M'; bmp[14] = 40;
        Assert.Contains("unsupported format: BMP", Reason(bmp));
    }

    [Fact]
    public void BinaryGarbage() => Assert.Contains("unrecognised format", Reason(new byte[] { 0x00, 0x01, 0x02, 0xFE, 0x10, 0x00, 0x00, 0x00 }));

    [Fact]
    public void PngBomb_IsRejectedFromTheHeader()
    {
        var reason = Reason(PngHeaderOnly(100_000, 100_000));
        Assert.Contains("100000×100000", reason);
        Assert.Contains("ImageDecodeOptions.MaxPixels", reason);
        Assert.Throws<InvalidImageException>(() => ImageDecoder.ReadInfo(PngHeaderOnly(100_000, 100_000), "bomb.png"));
    }

    [Fact]
    public void JpegBomb_IsRejectedFromTheHeader() => Assert.Contains("decompression bomb", Reason(JpegDeclaring(65000, 65000)));

    [Fact]
    public void PixelLimit_IsConfigurable()
    {
        var jpeg = Jpeg(Gradient(32, 32));
        Assert.Contains("1,024", Reason(jpeg, new ImageDecodeOptions { MaxPixels = 1000 }));
        Assert.Equal(32, ImageDecoder.Decode(jpeg, "ok.jpg", new ImageDecodeOptions { MaxPixels = 1024 }).Width);
    }

    [Fact]
    public void MissingFile()
    {
        using var dir = new TempDirectory();
        var e = Assert.Throws<InvalidImageException>(() => ImageDecoder.DecodeFile(dir.File("nope.jpg")));
        Assert.Contains("file not found", e.Reason);
        Assert.Throws<InvalidImageException>(() => ImageDecoder.ReadInfoFile(dir.File("nope.jpg")));
    }

    [Fact]
    public void AfterCorruptFiles_GoodFilesStillDecode()
    {
        // TurboJPEG keeps a handle's warning flag set; a pooled handle that saw a bad file must not poison later decodes.
        var good = Jpeg(Gradient(32, 32));
        var cut = good.Take(good.Length / 2).ToArray();
        for (var i = 0; i < 20; i++)
        {
            Assert.Throws<InvalidImageException>(() => ImageDecoder.Decode(cut, "cut.jpg"));
            Assert.Equal(32, ImageDecoder.Decode(good, "good.jpg").Width);
        }
    }
}
