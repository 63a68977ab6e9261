using System.Security.Cryptography;
using SharpVision.Tests.Support;
using SharpVision.Transfer.Pretrained;
using SharpVision.Transfer;

namespace SharpVision.Tests.Transfer;

public class WeightsFetcherTests
{
    private static readonly byte[] Payload = Enumerable.Range(0, 3_000_000).Select(i => (byte)(i * 7 % 251)).ToArray();
    private static readonly string Sha = Convert.ToHexString(SHA256.HashData(Payload)).ToLowerInvariant();

    [Fact]
    public void HashPrefixesComeFromTorchvisionFileNames()
    {
        Assert.Equal("0676ba61", WeightsFetcher.HashPrefixFromFileName("resnet50-0676ba61.pth"));
        Assert.Equal("0cc3c7bd", WeightsFetcher.HashPrefixFromFileName("inception_v3_google-0cc3c7bd.pth"));
        Assert.Null(WeightsFetcher.HashPrefixFromFileName("weights.pth"));
    }

    [Fact]
    public async Task AGoodDownloadIsVerifiedRenamedIntoPlaceAndThenReused()
    {
        using var dir = new TempDirectory();
        var name = $"/models/tiny-{Sha[..8]}.pth";
        using var server = new LoopbackFileServer(new() { [name] = Payload });
        var messages = new List<string>();
        var fetcher = new WeightsFetcher(log: messages.Add);

        var (path, cached, sha) = await fetcher.DownloadAsync(server.Url(name), dir.Path);
        Assert.Equal(Path.Combine(dir.Path, $"tiny-{Sha[..8]}.pth"), path);
        Assert.False(cached);
        Assert.Equal(Sha, sha);
        Assert.Equal(Payload, await File.ReadAllBytesAsync(path));
        Assert.Single(Directory.GetFiles(dir.Path)); // no temporary file left behind
        Assert.Contains(messages, m => m.Contains("100%"));

        var again = await fetcher.DownloadAsync(server.Url(name), dir.Path);
        Assert.True(again.WasCached);
        Assert.Equal(1, server.Requests);
    }

    [Fact]
    public async Task ABadChecksumKeepsNothing()
    {
        using var dir = new TempDirectory();
        using var server = new LoopbackFileServer(new() { ["/models/tiny-deadbeef.pth"] = Payload, ["/plain.bin"] = Payload });
        var fetcher = new WeightsFetcher();
        var e = await Assert.ThrowsAsync<InvalidDataException>(() => fetcher.DownloadAsync(server.Url("/models/tiny-deadbeef.pth"), dir.Path));
        Assert.Contains("checksum mismatch", e.Message);
        Assert.Contains(Sha, e.Message);
        Assert.Empty(Directory.GetFiles(dir.Path));

        var explicitBad = await Assert.ThrowsAsync<InvalidDataException>(() => fetcher.DownloadAsync(server.Url("/plain.bin"), dir.Path, "00000000"));
        Assert.Contains("checksum mismatch", explicitBad.Message);
        Assert.Empty(Directory.GetFiles(dir.Path));

        var missing = await Assert.ThrowsAsync<HttpRequestException>(() => fetcher.DownloadAsync(server.Url("/models/none-12345678.pth"), dir.Path));
        Assert.Contains("404", missing.Message);
    }

    [Fact]
    public void FetchingAKnownNameFromAMirrorKeepsThePthAndSaysHowToConvertIt()
    {
        using var dir = new TempDirectory();
        var name = $"/mirror/mobilenet_v2-{Sha[..8]}.pth";
        using var server = new LoopbackFileServer(new() { [name] = Payload });
        var result = new WeightsFetcher().Fetch(PretrainedCatalog.Get("mobilenet_v2"), dir.Path, server.Url(name), convert: false);
        Assert.True(File.Exists(result.DownloadedPath));
        Assert.Null(result.ConvertedPath);
        Assert.Contains("sharpvision weights import --pth", result.Message);
        Assert.Contains("mobilenet_v2_imagenet.safetensors", result.Message);
    }
}
