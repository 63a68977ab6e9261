using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using SharpVision.Data;
using SharpVision.Engine;
using SharpVision.Models;
using SharpVision.Tests.Support;
using Xunit.Abstractions;

namespace SharpVision.Tests.Checkout;

/// <summary>
/// The probe, on the real server: `sharpvision serve` with a real (small, untrained) model in its own process,
/// 16 parallel uploads of ~100 KB PNGs that each decode to 6000×6000 pixels (108 MB). Memory is read from the server's
/// /proc status, so other tests running in this process cannot blur it.
/// </summary>
public sealed class UploadBurstMemoryTests(ITestOutputHelper output) : IDisposable
{
    private const long MiB = 1024 * 1024;
    private readonly TempDirectory _dir = new("sv-burst");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task SixteenParallelHugePngUploadsGrowServerMemoryByUnder300MbAndItReturnsTowardsBaseline()
    {
        var model = _dir.File("cafe.safetensors");
        Torch.ManualSeed(5);
        var descriptor = new ModelDescriptor
        {
            Architecture = "cafe-cnn",
            Options = new ModelOptions { NumClasses = 5, InputHeight = 64, InputWidth = 64 },
            ClassNames = ["cheesecake", "donuts", "ice_cream", "macarons", "pancakes"],
            InputHeight = 64,
            InputWidth = 64,
            Normalization = Normalization.ImageNet,
        };
        using (var m = ModelZoo.Create("cafe-cnn", descriptor.Options)) ModelFile.Save(model, m, descriptor);
        var png = TestImages.LargeSolidPng(TestImages.Donut, 6000, 6000);
        Assert.InRange(png.Length, 10_000, 400_000);

        var port = FreePort();
        using var server = CliProcess.Start(["serve", "--model", model, "--port", port.ToString(), "--db", _dir.File("orders.db"), "--max-decodes", "2"]);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(3) };
        await WaitUntilUpAsync(http, server);
        // A small photo first, so lazy initialisation is not counted as burst growth; then let the idle trim settle.
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsync("/api/classify", Upload(TestImages.SolidPng(TestImages.Donut, 256)))).StatusCode);
        await Task.Delay(TimeSpan.FromSeconds(4));
        var baseline = Status(server.Id, "VmRSS:");

        var peak = baseline;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, Status(server.Id, "VmRSS:"));
                await Task.Delay(10);
            }
        });
        var responses = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => http.PostAsync("/api/classify", Upload(png, $"huge-{i}.png"))));
        await sampling.CancelAsync();
        await sampler;
        // The kernel's high-water mark catches a peak between samples (it may also be an earlier start-up peak: that only makes this stricter).
        var sampled = peak;
        peak = Math.Max(peak, Status(server.Id, "VmHWM:"));
        foreach (var r in responses)
        {
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            Assert.Equal(3, (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("predictions").GetArrayLength());
        }
        var growth = peak - baseline;
        Assert.True(growth < 300 * MiB, $"RSS grew by {growth / MiB} MB under the burst (baseline {baseline / MiB} MB, peak {peak / MiB} MB, sampled peak {sampled / MiB} MB)");

        // Idle: the server hands the memory back (its idle trim), without anything from this test.
        var settled = long.MaxValue;
        for (var t = 0; t < 60 && settled - baseline >= 64 * MiB; t++)
        {
            await Task.Delay(250);
            settled = Status(server.Id, "VmRSS:");
        }
        output.WriteLine($"server RSS: baseline {baseline / MiB} MB, burst peak {peak / MiB} MB (+{growth / MiB}), after idle {settled / MiB} MB");
        Assert.True(settled - baseline < 64 * MiB,
            $"RSS stayed {(settled - baseline) / MiB} MB above its baseline of {baseline / MiB} MB after the burst (peak {peak / MiB} MB)");
    }

    private static MultipartFormDataContent Upload(byte[] data, string name = "photo.png")
    {
        var file = new ByteArrayContent(data);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        return new MultipartFormDataContent { { file, "image", name } };
    }

    private static async Task WaitUntilUpAsync(HttpClient http, CliProcess server)
    {
        for (var i = 0; i < 600; i++)
        {
            if (server.HasExited) Assert.Fail($"serve exited with {server.ExitCode}: {server.Output}");
            try
            {
                if ((await http.GetAsync("/api/health")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(100);
        }
        Assert.Fail("serve did not answer within 60 s: " + server.Output);
    }

    /// <summary>A /proc/PID/status field in bytes (VmRSS: resident now; VmHWM: the resident peak).</summary>
    private static long Status(int pid, string field)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith(field, StringComparison.Ordinal));
        return long.Parse(line[field.Length..].Trim().Split(' ')[0]) * 1024;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
