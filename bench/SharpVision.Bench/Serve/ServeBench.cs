using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Net.Http.Headers;
using System.Buffers.Binary;
using System.Text;
using Microsoft.Extensions.Hosting;
using SharpVision.Checkout;

namespace SharpVision.Bench.Serve;

/// <summary>
/// <c>serve host</c>: runs the checkout app with the bench classifier; <c>serve load</c>: drives any running checkout
/// URL on loopback with concurrent clients and reports throughput, latency percentiles, status counts and server RSS.
/// </summary>
internal static class ServeBench
{
    public static int Run(string[] args)
    {
        if (args.Length == 0) return Usage();
        var opts = ParseOptions(args.Skip(1));
        return args[0] switch
        {
            "host" => Host(opts),
            "load" => LoadAsync(opts).GetAwaiter().GetResult(),
            _ => Usage(),
        };
    }

    private static int Usage()
    {
        Console.Error.WriteLine("""
            usage: SharpVision.Bench serve host [--port 0] [--db PATH] [--url-file PATH] [--batch-cost-ms 0] [--batch-window-ms 10] [--max-batch 16]
                                                [--model FILE] [--max-decodes N]
                   SharpVision.Bench serve load --url http://127.0.0.1:PORT [--requests 5000] [--concurrency 16] [--malformed 0.05]
                                                [--orders 0.1] [--images DIR] [--server-pid PID] [--seed 1] [--idle-seconds 5]
            """);
        return 2;
    }

    private static Dictionary<string, string> ParseOptions(IEnumerable<string> args)
    {
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        string? key = null;
        foreach (var a in args)
        {
            if (a.StartsWith("--", StringComparison.Ordinal)) { key = a[2..]; d[key] = "true"; }
            else if (key is not null) { d[key] = a; key = null; }
            else throw new ArgumentException($"unexpected argument '{a}'");
        }
        return d;
    }

    private static string Get(Dictionary<string, string> o, string key, string fallback) => o.TryGetValue(key, out var v) ? v : fallback;

    private static int Host(Dictionary<string, string> o)
    {
        var options = new CheckoutOptions
        {
            Port = int.Parse(Get(o, "port", "0"), CultureInfo.InvariantCulture),
            SqlitePath = Get(o, "db", Path.Combine(Path.GetTempPath(), "sv-serve-bench.db")),
            BatchWindow = TimeSpan.FromMilliseconds(double.Parse(Get(o, "batch-window-ms", "10"), CultureInfo.InvariantCulture)),
            MaxBatch = int.Parse(Get(o, "max-batch", "16"), CultureInfo.InvariantCulture),
        };
        // A real model file decodes and runs every photo (the memory-bounded decode path); without one, the fake keys on bytes.
        using var model = o.TryGetValue("model", out var modelFile)
            ? ModelImageClassifier.Load(modelFile, int.Parse(Get(o, "max-decodes", "0"), CultureInfo.InvariantCulture))
            : null;
        IImageClassifier classifier = model is not null ? model
            : new BenchClassifier(TimeSpan.FromMilliseconds(double.Parse(Get(o, "batch-cost-ms", "0"), CultureInfo.InvariantCulture)));
        var app = CheckoutApp.Build(options, classifier);
        app.Start();
        var url = app.Urls.First();
        Console.WriteLine($"listening {url} pid {Environment.ProcessId}");
        if (o.TryGetValue("url-file", out var file)) File.WriteAllText(file, url);
        app.WaitForShutdown();
        return 0;
    }

    private sealed record Payload(string Kind, Func<HttpContent> Content, string Path);

    private static async Task<int> LoadAsync(Dictionary<string, string> o)
    {
        var url = new Uri(Get(o, "url", "http://127.0.0.1:5080"));
        if (!(url.IsLoopback && url.Host is "127.0.0.1" or "localhost" or "[::1]"))
        {
            Console.Error.WriteLine($"refusing to load-test {url}: only loopback (127.0.0.1) targets are allowed");
            return 2;
        }
        var requests = int.Parse(Get(o, "requests", "5000"), CultureInfo.InvariantCulture);
        var concurrency = int.Parse(Get(o, "concurrency", "16"), CultureInfo.InvariantCulture);
        var malformed = double.Parse(Get(o, "malformed", "0.05"), CultureInfo.InvariantCulture);
        var orders = double.Parse(Get(o, "orders", "0.1"), CultureInfo.InvariantCulture);
        var rng = new Random(int.Parse(Get(o, "seed", "1"), CultureInfo.InvariantCulture));
        int? pid = o.TryGetValue("server-pid", out var p) ? int.Parse(p, CultureInfo.InvariantCulture) : null;

        var images = LoadImages(o.GetValueOrDefault("images"), rng);
        var plan = new Payload[requests];
        for (var i = 0; i < requests; i++)
        {
            var r = rng.NextDouble();
            plan[i] = r < malformed ? Malformed(i, images[i % images.Count])
                : r < malformed + orders ? Order(rng.Next(5), rng.Next(1, 4))
                : Classify(images[rng.Next(images.Count)]);
        }

        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
        {
            BaseAddress = url,
            Timeout = TimeSpan.FromSeconds(60),
        };
        var health = await http.GetStringAsync("/api/health");
        Console.WriteLine($"server: {health}");
        var rssBefore = Rss(pid);

        var latencies = new double[requests];
        var statuses = new string[requests];
        var next = -1;
        var wall = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < requests)
            {
                var sw = Stopwatch.StartNew();
                try
                {
                    using var response = await http.PostAsync(plan[i].Path, plan[i].Content());
                    await response.Content.ReadAsByteArrayAsync();
                    statuses[i] = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    statuses[i] = "transport-error";
                }
                latencies[i] = sw.Elapsed.TotalMilliseconds;
            }
        }));
        var seconds = wall.Elapsed.TotalSeconds;
        var rssAfter = Rss(pid);
        // The server returns memory after a quiet spell (its idle trim); "flat" means it comes back, not only that it stops growing.
        await Task.Delay(TimeSpan.FromSeconds(double.Parse(Get(o, "idle-seconds", "5"), CultureInfo.InvariantCulture)));
        var rssIdle = Rss(pid);
        var healthAfter = await http.GetStringAsync("/api/health");

        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"requests {requests}, concurrency {concurrency}, malformed {malformed:P0}, orders {orders:P0}, images {images.Count}");
        sb.AppendLine(CultureInfo.InvariantCulture, $"wall {seconds:F2} s, throughput {requests / seconds:F1} req/s");
        sb.AppendLine(CultureInfo.InvariantCulture, $"latency all: {Percentiles(latencies)}");
        foreach (var kind in plan.Select(x => x.Kind).Distinct().Order())
        {
            var idx = Enumerable.Range(0, requests).Where(i => plan[i].Kind == kind).ToList();
            var byStatus = string.Join(", ", idx.GroupBy(i => statuses[i]).OrderBy(g => g.Key).Select(g => $"{g.Key}×{g.Count()}"));
            sb.AppendLine(CultureInfo.InvariantCulture, $"  {kind,-22} n={idx.Count,5}  {Percentiles(idx.Select(i => latencies[i]).ToArray())}  status {byStatus}");
        }
        sb.AppendLine("status counts: " + string.Join(", ", statuses.GroupBy(s => s).OrderBy(g => g.Key).Select(g => $"{g.Key}: {g.Count()}")));
        if (pid is not null) sb.AppendLine(CultureInfo.InvariantCulture, $"server RSS before {rssBefore}, after {rssAfter}, after idle {rssIdle}");
        sb.AppendLine($"server after: {healthAfter}");
        Console.Write(sb.ToString());
        var bad = statuses.Count(s => s.StartsWith('5') || s == "transport-error");
        return bad == 0 ? 0 : 1;
    }

    private static string Percentiles(double[] ms)
    {
        if (ms.Length == 0) return "-";
        var sorted = ms.Order().ToArray();
        double P(double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
        return string.Create(CultureInfo.InvariantCulture, $"p50 {P(0.5),7:F2} ms  p99 {P(0.99),7:F2} ms  max {sorted[^1],7:F2} ms");
    }

    private static string Rss(int? pid)
    {
        if (pid is null) return "n/a";
        try
        {
            var lines = File.ReadAllLines($"/proc/{pid}/status");
            string Field(string name) => lines.FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal))?[name.Length..].Trim() ?? "?";
            return $"{Field("VmRSS:")} (peak {Field("VmHWM:")})";
        }
        catch (IOException) { return "n/a"; }
    }

    private static Payload Classify(byte[] image) =>
        new("classify", () => Multipart(image, "image", "photo" + (image[0] == 0xFF ? ".jpg" : ".png")), "/api/classify");

    private static Payload Order(int product, int quantity)
    {
        string[] classes = ["cheesecake", "donuts", "ice_cream", "macarons", "pancakes"];
        var json = $$"""{"items":[{"class":"{{classes[product]}}","quantity":{{quantity}}}]}""";
        return new("order", () => new StringContent(json, Encoding.UTF8, "application/json"), "/api/orders");
    }

    private static Payload Malformed(int i, byte[] image) => (i % 5) switch
    {
        4 => new("bad:bomb", () => Multipart(BombPng.Value, "image", "bomb.png"), "/api/classify"),
        0 => new("bad:not-an-image", () => Multipart("this is not a photo"u8.ToArray(), "image", "note.png"), "/api/classify"),
        1 => new("bad:truncated", () => Multipart(image[..(image.Length / 2)], "image", "half.png"), "/api/classify"),
        2 => new("bad:missing-field", () => Multipart(image, "photo", "photo.png"), "/api/classify"),
        _ => new("bad:wrong-content-type", () => new ByteArrayContent(image) { Headers = { ContentType = new MediaTypeHeaderValue("image/png") } }, "/api/classify"),
    };

    /// <summary>A valid 4×4 PNG whose header is patched to declare 60000×60000 pixels (refused from the header, never decoded).</summary>
    private static readonly Lazy<byte[]> BombPng = new(() =>
    {
        var png = NoisyPng(4, new Random(7));
        BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(16), 60000);
        BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(20), 60000);
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(29), Crc(png.AsSpan(12, 17)));
        return png;
    });

    private static MultipartFormDataContent Multipart(byte[] data, string field, string name)
    {
        var file = new ByteArrayContent(data);
        file.Headers.ContentType = new MediaTypeHeaderValue(data.Length > 0 && data[0] == 0xFF ? "image/jpeg" : "image/png");
        return new MultipartFormDataContent { { file, field, name } };
    }

    /// <summary>Photos from a folder (JPEG/PNG, up to 200), or generated 128×128 noisy PNGs (~50 KB each).</summary>
    private static List<byte[]> LoadImages(string? dir, Random rng)
    {
        if (dir is not null)
        {
            var files = Directory.EnumerateFiles(dir, "*.*", SearchOption.AllDirectories)
                .Where(f => f.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".jpeg", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal).Take(200).Select(File.ReadAllBytes).ToList();
            if (files.Count == 0) throw new ArgumentException($"--images {dir}: no .jpg/.png files");
            return files;
        }
        return Enumerable.Range(0, 32).Select(_ => NoisyPng(128, rng)).ToList();
    }

    private static byte[] NoisyPng(int size, Random rng)
    {
        var (r, g, b) = (rng.Next(256), rng.Next(256), rng.Next(256));
        using var raw = new MemoryStream();
        using (var z = new ZLibStream(raw, CompressionLevel.Fastest, leaveOpen: true))
            for (var y = 0; y < size; y++)
            {
                z.WriteByte(0);
                for (var x = 0; x < size; x++)
                {
                    var n = rng.Next(-40, 41);
                    z.WriteByte((byte)Math.Clamp(r + n, 0, 255));
                    z.WriteByte((byte)Math.Clamp(g + n, 0, 255));
                    z.WriteByte((byte)Math.Clamp(b + n, 0, 255));
                }
            }
        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, size);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), size);
        ihdr[8] = 8;
        ihdr[9] = 2;
        Chunk(png, "IHDR", ihdr);
        Chunk(png, "IDAT", raw.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream s, string type, byte[] data)
    {
        var typeBytes = Encoding.ASCII.GetBytes(type);
        var len = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(len, data.Length);
        s.Write(len);
        s.Write(typeBytes);
        s.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(len, Crc([.. typeBytes, .. data]));
        s.Write(len);
    }

    private static uint Crc(ReadOnlySpan<byte> bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var x in bytes)
        {
            crc ^= x;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
        }
        return crc ^ 0xFFFFFFFFu;
    }
}
