using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace SharpVision.Transfer.Pretrained;

/// <summary>
/// Downloads weight files over HTTP(S): streamed to a temporary file beside the target while a SHA-256 is computed,
/// checked against the hash prefix torchvision embeds in its file names ("resnet50-0676ba61.pth"), then renamed into
/// place atomically, so the weights folder never holds a partial or corrupt file under the final name.
/// </summary>
public sealed partial class WeightsFetcher
{
    private readonly HttpClient client;

    /// <summary>Creates a fetcher using <paramref name="client"/> (default: a new client with a 30-minute timeout).</summary>
    public WeightsFetcher(HttpClient? client = null, Action<string>? log = null)
    {
        this.client = client ?? new HttpClient { Timeout = TimeSpan.FromMinutes(30) };
        Log = log ?? (_ => { });
    }

    /// <summary>Receives progress messages.</summary>
    public Action<string> Log { get; }

    /// <summary>The hex SHA-256 prefix in a torchvision-style file name ("name-0676ba61.pth" → "0676ba61"), or null.</summary>
    public static string? HashPrefixFromFileName(string fileName)
    {
        var m = HashSuffix().Match(fileName);
        return m.Success ? m.Groups[1].Value.ToLowerInvariant() : null;
    }

    [GeneratedRegex(@"-([0-9a-fA-F]{6,64})\.[A-Za-z0-9]+$")]
    private static partial Regex HashSuffix();

    /// <summary>
    /// Downloads <paramref name="url"/> into <paramref name="folder"/> under the URL's file name. The expected SHA-256
    /// prefix is <paramref name="expectedSha256Prefix"/>, or else the one in the file name; without either, the file is
    /// accepted unchecked. An existing file whose checksum matches is reused without downloading.
    /// </summary>
    /// <returns>The final path, whether it was already there, and its SHA-256.</returns>
    /// <exception cref="InvalidDataException">The checksum does not match (the partial file is deleted).</exception>
    /// <exception cref="HttpRequestException">The server refused or the connection failed; names the URL.</exception>
    public async Task<(string Path, bool WasCached, string Sha256)> DownloadAsync(Uri url, string folder, string? expectedSha256Prefix = null,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        var fileName = Path.GetFileName(url.AbsolutePath);
        if (string.IsNullOrEmpty(fileName)) throw new ArgumentException($"the URL {url} does not end in a file name", nameof(url));
        var expected = (expectedSha256Prefix ?? HashPrefixFromFileName(fileName))?.ToLowerInvariant();
        Directory.CreateDirectory(folder);
        var target = Path.Combine(Path.GetFullPath(folder), fileName);

        if (File.Exists(target))
        {
            var existing = await HashFileAsync(target, cancellation).ConfigureAwait(false);
            if (expected is null || existing.StartsWith(expected, StringComparison.Ordinal))
            {
                Log($"{target} is already there (sha256 {existing[..12]}…)");
                return (target, true, existing);
            }
            Log($"{target} exists but its checksum {existing[..12]}… does not match {expected}; downloading again");
        }

        var temp = Path.Combine(Path.GetDirectoryName(target)!, $".{fileName}.partial-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellation).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
                throw new HttpRequestException($"GET {url} failed: {(int)response.StatusCode} {response.ReasonPhrase}", null, response.StatusCode);
            var total = response.Content.Headers.ContentLength;
            Log($"downloading {url}{(total is { } t ? $" ({t / 1e6:0.0} MB)" : "")} → {target}");
            string actual;
            await using (var source = await response.Content.ReadAsStreamAsync(cancellation).ConfigureAwait(false))
            await using (var sink = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20, useAsync: true))
            {
                using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                var buffer = new byte[1 << 20];
                long done = 0;
                var nextReport = 0.1;
                int read;
                while ((read = await source.ReadAsync(buffer, cancellation).ConfigureAwait(false)) > 0)
                {
                    sha.AppendData(buffer, 0, read);
                    await sink.WriteAsync(buffer.AsMemory(0, read), cancellation).ConfigureAwait(false);
                    done += read;
                    if (total is > 0 && done >= nextReport * total.Value)
                    {
                        Log(string.Create(CultureInfo.InvariantCulture, $"  {100.0 * done / total.Value:0}% ({done / 1e6:0.0} MB)"));
                        nextReport += 0.1;
                    }
                }
                if (total is { } expectedLength && done != expectedLength)
                    throw new InvalidDataException($"{url}: the download stopped after {done} of {expectedLength} bytes");
                await sink.FlushAsync(cancellation).ConfigureAwait(false);
                sink.Flush(flushToDisk: true);
                actual = Convert.ToHexString(sha.GetHashAndReset()).ToLowerInvariant();
            }
            if (expected is not null && !actual.StartsWith(expected, StringComparison.Ordinal))
                throw new InvalidDataException($"{url}: checksum mismatch: the file name promises a SHA-256 starting with {expected}, the download has {actual}; nothing was kept");
            File.Move(temp, target, overwrite: true);
            Log($"verified sha256 {actual}{(expected is null ? " (no expected hash: unchecked)" : "")}");
            return (target, false, actual);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>
    /// Fetches the known weights <paramref name="entry"/> (from <paramref name="urlOverride"/> when given, e.g. a
    /// mirror; its file name must carry the hash) into <paramref name="folder"/>, then converts the .pth to the
    /// catalog's safetensors file in C# (<paramref name="convert"/>); otherwise keeps the .pth and says in
    /// <see cref="FetchResult.Message"/> how to convert it.
    /// </summary>
    public FetchResult Fetch(PretrainedEntry entry, string? folder = null, Uri? urlOverride = null, bool convert = true, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        folder ??= PretrainedCatalog.DefaultFolder;
        var url = urlOverride ?? entry.Url;
        var (path, cached, sha) = DownloadAsync(url, folder, null, cancellation).GetAwaiter().GetResult();
        var output = Path.Combine(Path.GetDirectoryName(path)!, entry.LocalFileName);
        var command = TorchvisionImport.ConvertCommand(path, output, entry.Architecture);
        if (!path.EndsWith(".pth", StringComparison.OrdinalIgnoreCase) && !path.EndsWith(".pt", StringComparison.OrdinalIgnoreCase))
            return new FetchResult(path, cached, sha, path, $"fetched {path}");
        if (!convert)
            return new FetchResult(path, cached, sha, null, $"fetched {path}; not converted (as asked). Convert it with:\n  {command}");
        try
        {
            TorchvisionImport.Convert(path, output, entry.Architecture);
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            return new FetchResult(path, cached, sha, null, $"fetched {path}; the conversion failed: {e.Message}\nRetry with:\n  {command}");
        }
        return new FetchResult(path, cached, sha, output, $"fetched {path} and converted it to {output}");
    }

    /// <summary>The lower-case hex SHA-256 of a file.</summary>
    public static async Task<string> HashFileAsync(string path, CancellationToken cancellation = default)
    {
        await using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, useAsync: true);
        var hash = await SHA256.HashDataAsync(fs, cancellation).ConfigureAwait(false);
        return Convert.ToHexString(hash).ToLowerInvariant();
    }
}
