using System.Buffers.Binary;
using System.IO.Compression;
using SharpVision.Data;
using SharpVision.Tests.Support;

namespace SharpVision.Tests.Data;

public class InMemoryDatasetTests
{
    private static byte[] IdxImages(int n, int rows, int cols)
    {
        var b = new byte[16 + n * rows * cols];
        BinaryPrimitives.WriteUInt32BigEndian(b, 0x803);
        BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(4), n);
        BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(8), rows);
        BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(12), cols);
        for (var i = 0; i < n * rows * cols; i++) b[16 + i] = (byte)(i / (rows * cols) * 10 + i % (rows * cols));
        return b;
    }

    private static byte[] IdxLabels(params byte[] labels)
    {
        var b = new byte[8 + labels.Length];
        BinaryPrimitives.WriteUInt32BigEndian(b, 0x801);
        BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(4), labels.Length);
        labels.CopyTo(b, 8);
        return b;
    }

    private static byte[] Gzip(byte[] data)
    {
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest)) gz.Write(data);
        return ms.ToArray();
    }

    [Fact]
    public void Idx_RawAndGzip()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("img"), IdxImages(3, 2, 3));
        File.WriteAllBytes(dir.File("lbl.gz"), Gzip(IdxLabels(2, 0, 1)));
        var ds = IdxDataset.Open(dir.File("img"), dir.File("lbl.gz"));
        Assert.Equal(3, ds.Count);
        Assert.Equal(1, ds.Channels);
        Assert.Equal(new[] { "0", "1", "2" }, ds.ClassNames);
        Assert.Equal(2, ds.Label(0));
        Assert.Equal("idx:1", ds.Name(1));
        var img = ds.Load(1);
        Assert.Equal((3, 2, 1), (img.Width, img.Height, img.Channels));
        Assert.Equal(new byte[] { 10, 11, 12, 13, 14, 15 }, img.Pixels);
    }

    [Fact]
    public void Idx_Errors()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("img"), IdxImages(3, 2, 3));
        File.WriteAllBytes(dir.File("lbl"), IdxLabels(1, 0));
        Assert.Contains("2 labels for 3 images", Assert.Throws<DatasetException>(() => IdxDataset.Open(dir.File("img"), dir.File("lbl"))).Message);
        Assert.Contains("0x00000803", Assert.Throws<DatasetException>(() => IdxDataset.Open(dir.File("lbl"), dir.File("img"))).Message);
        File.WriteAllBytes(dir.File("short"), IdxImages(3, 2, 3).Take(30).ToArray());
        Assert.Contains("truncated", Assert.Throws<DatasetException>(() => IdxDataset.Open(dir.File("short"), dir.File("lbl"))).Message);
        Assert.Contains("not found", Assert.Throws<DatasetException>(() => IdxDataset.Open(dir.File("none"), dir.File("lbl"))).Message);
    }

    [Fact]
    public void FashionMnist_FromDebianPackage()
    {
        if (!Directory.Exists(IdxDataset.DebianFashionMnistFolder)) Assert.Fail("dataset-fashion-mnist is not installed (./run setup installs it)");
        var test = IdxDataset.OpenFashionMnist(train: false);
        Assert.Equal(10_000, test.Count);
        Assert.Equal("Ankle boot", test.ClassNames[9]);
        Assert.All(test.ClassCounts(), c => Assert.Equal(1000, c));
        Assert.Equal((28, 28), (test.Load(0).Width, test.Load(0).Height));
    }

    [Fact]
    public void Cifar10_And100()
    {
        using var dir = new TempDirectory();
        var rec10 = new byte[2 * 3073];
        rec10[0] = 7;
        rec10[1] = 11; rec10[1 + 1024] = 22; rec10[1 + 2048] = 33; // pixel (0,0) of record 0
        rec10[3073] = 2;
        File.WriteAllBytes(dir.File("data_batch_1.bin"), rec10);
        var c10 = CifarDataset.Open(new[] { dir.File("data_batch_1.bin") });
        Assert.Equal(2, c10.Count);
        Assert.Equal("horse", c10.ClassNames[c10.Label(0)]);
        Assert.Equal(new byte[] { 11, 22, 33 }, c10.Load(0).Pixels.Take(3));
        Assert.Equal((32, 32, 3), (c10.Load(1).Width, c10.Load(1).Height, c10.Load(1).Channels));

        var rec100 = new byte[3074];
        rec100[0] = 4; rec100[1] = 42;
        File.WriteAllBytes(dir.File("train.bin"), rec100);
        Assert.Equal(42, CifarDataset.Open(new[] { dir.File("train.bin") }, CifarVariant.Cifar100Fine).Label(0));
        Assert.Equal(4, CifarDataset.Open(new[] { dir.File("train.bin") }, CifarVariant.Cifar100Coarse).Label(0));
        Assert.Contains("not a multiple", Assert.Throws<DatasetException>(() => CifarDataset.Open(new[] { dir.File("train.bin") })).Message);
    }
}
