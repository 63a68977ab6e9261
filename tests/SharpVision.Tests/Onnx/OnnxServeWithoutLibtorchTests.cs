using System.Diagnostics;
using System.Text.Json;
using SharpVision.Imaging;
using SharpVision.Tests.Support;

namespace SharpVision.Tests.Onnx;

/// <summary>
/// serve on an .onnx model never needs libtorch: a copy of the built CLI without libsharpvision_native.so (and out of
/// reach of the repository's build/native) serves the till and classifies a photo, while the same copy cannot even
/// print its libtorch version, and the server process maps no libtorch or shim library.
/// </summary>
[Collection("Serial")]
public sealed class OnnxServeWithoutLibtorchTests
{
    [Fact]
    public async Task ServeClassifiesWithTheNativeShimAbsent()
    {
        using var dir = new TempDirectory("sv-onnx-serve");
        var app = CopyCliWithoutShim(dir.File("app"));
        var classes = new[] { "cheesecake", "donuts", "ice_cream", "macarons", "pancakes" };
        var (_, onnx) = OnnxTestModels.SaveBoth(dir.Path, "cafe-cnn", 64, classNames: classes);
        var environment = new Dictionary<string, string> { ["SHARPVISION_NATIVE"] = dir.File("absent/libsharpvision_native.so"), ["SHARPVISION_THREADS"] = "1" };

        // Control: in this copy anything that needs libtorch fails.
        using (var version = Start(app, environment, "version"))
        {
            Assert.True(version.WaitForExit(60_000));
            Assert.NotEqual(0, version.ExitCode);
            Assert.Contains("libsharpvision_native.so was not found", version.StandardError.ReadToEnd());
        }

        var port = SharpVision.Distributed.FreePort.Find();
        using var server = Start(app, environment, "serve", "--model", onnx, "--port", port.ToString(), "--db", dir.File("orders.db"));
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
            await WaitUntilUp(client, server);
            var rng = new Random(1);
            var png = PngEncoder.Encode(SyntheticImages.Make(0, 48, rng));
            var content = new MultipartFormDataContent { { new ByteArrayContent(png), "image", "photo.png" } };
            var response = await client.PostAsync("/api/classify", content);
            var text = await response.Content.ReadAsStringAsync();

            Assert.True(response.IsSuccessStatusCode, text);
            using var json = JsonDocument.Parse(text);
            Assert.Contains(classes, c => text.Contains($"\"{c}\"", StringComparison.Ordinal));
            var maps = File.ReadAllText($"/proc/{server.Id}/maps");
            Assert.DoesNotContain("libtorch", maps);
            Assert.DoesNotContain("libsharpvision_native", maps);
            Assert.Contains("libonnxruntime", maps);
        }
        finally
        {
            if (!server.HasExited) server.Kill(entireProcessTree: true);
            server.WaitForExit();
        }
    }

    private static async Task WaitUntilUp(HttpClient client, Process server)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (server.HasExited) throw new InvalidOperationException($"serve exited with {server.ExitCode}: {await server.StandardError.ReadToEndAsync()}");
            try
            {
                if ((await client.GetAsync("/api/model")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(250);
        }
        throw new TimeoutException("serve did not answer within 90 s");
    }

    private static Process Start(string app, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(app, "SharpVision.Cli.dll"));
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (k, v) in environment) info.Environment[k] = v;
        return Process.Start(info)!;
    }

    /// <summary>The built CLI's assemblies and this platform's native libraries, without the libtorch shim, in a folder outside the repository.</summary>
    private static string CopyCliWithoutShim(string target)
    {
        var source = Path.GetDirectoryName(CliProcess.CliDll)!;
        Directory.CreateDirectory(target);
        foreach (var f in Directory.EnumerateFiles(source))
        {
            if (Path.GetFileName(f).StartsWith("libsharpvision_native", StringComparison.Ordinal)) continue;
            File.Copy(f, Path.Combine(target, Path.GetFileName(f)));
        }
        var natives = Path.Combine(source, "runtimes", "linux-x64");
        foreach (var f in Directory.EnumerateFiles(natives, "*", SearchOption.AllDirectories))
        {
            var to = Path.Combine(target, "runtimes", "linux-x64", Path.GetRelativePath(natives, f));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(f, to);
        }
        return target;
    }
}
