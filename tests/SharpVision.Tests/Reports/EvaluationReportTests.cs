using System.Diagnostics;
using System.Text.RegularExpressions;
using SharpVision.Evaluation;
using SharpVision.Imaging;
using SharpVision.Models;
using SharpVision.Reports;
using SharpVision.Tests.Support;

namespace SharpVision.Tests.Reports;

public class EvaluationReportTests
{
    private static readonly string[] Classes = ["cheesecake", "donuts", "ice_cream", "macarons"];

    private static (EvaluationInput Input, EvaluationResult Result) Evaluate(int seed = 11)
    {
        var rng = new Random(seed);
        const int n = 80;
        var labels = new int[n];
        var probs = new float[n][];
        for (var i = 0; i < n; i++)
        {
            labels[i] = i % Classes.Length;
            var z = Classes.Select(_ => rng.NextDouble() * 2).ToArray();
            z[labels[i]] += rng.NextDouble() * 3;
            var e = z.Select(Math.Exp).ToArray();
            probs[i] = e.Select(v => (float)(v / e.Sum())).ToArray();
        }
        var input = new EvaluationInput
        {
            ClassNames = Classes,
            Labels = labels,
            Probabilities = probs,
            ItemNames = labels.Select((l, i) => $"/data/{Classes[l]}/<{i}>.jpg").ToArray(), // '<' checks HTML escaping
        };
        return (input, ClassificationMetrics.Compute(input));
    }

    private static RgbImage Thumb(int i)
    {
        if (i == 3) throw new InvalidImageException($"item {i}", "truncated JPEG"); // a broken file must not break the report
        var px = new byte[32 * 32 * 3];
        for (var p = 0; p < px.Length; p += 3) { px[p] = (byte)(i * 37); px[p + 1] = (byte)(p % 256); px[p + 2] = 90; }
        return new RgbImage(32, 32, 3, px);
    }

    private static EvaluationReportFiles WriteFull(string dir)
    {
        var (input, result) = Evaluate();
        var rng = new Random(5);
        var passes = Enumerable.Range(0, 3).Select(_ => input.Probabilities.Select(row =>
        {
            var z = row.Select(p => Math.Log(p) + rng.NextDouble() * 0.5).Select(Math.Exp).ToArray();
            return z.Select(v => (float)(v / z.Sum())).ToArray();
        }).ToArray()).ToList();
        var tta = TtaAggregation.Combine(passes, input.Labels);
        var other = ClassificationMetrics.Compute(new EvaluationInput { ClassNames = Classes, Labels = input.Labels, Probabilities = tta.MeanProbabilities });
        return EvaluationReport.Write(dir, result, new EvaluationReportOptions
        {
            Title = "food4 & <friends>",
            Details = [new("model", "tiny-cnn")],
            History = new Dictionary<string, IReadOnlyList<double>> { ["loss"] = [1.0, 0.7, 0.5], ["val_loss"] = [1.1, 0.8, 0.7], ["accuracy"] = [0.5, 0.7, 0.8], ["val_accuracy"] = [0.45, 0.6, 0.7] },
            LoadImage = Thumb,
            Tta = tta,
            Comparison = ModelComparison.Create([("plain", result), ("tta", other)]),
            Unknown = new UnknownEvaluation(UnknownScoreKind.Energy, 0.95,
                [new UnknownScoreStats(UnknownScoreKind.Energy, -2.5, 0.9, 0.2, 0.93, 0.95, [-4, -3.5, -3, -2.8, -2.6, -2.2], [-2.6, -1, -0.5, 0.2, 0.4])], 6, 5),
            GalleryCount = 8,
        });
    }

    private static List<string> ImageSources(string html) =>
        Regex.Matches(html, "<img [^>]*src=\"([^\"]*)\"").Select(m => m.Groups[1].Value).ToList();

    [Fact]
    public void WritesSelfContainedHtmlMetricsAndPngs()
    {
        using var dir = new TempDirectory();
        var files = WriteFull(dir.Path);
        foreach (var name in new[] { "confusion_matrix.png", "per_class_accuracy.png", "reliability.png", "confidence_histogram.png",
                     "gallery_confident_correct.png", "gallery_unsure_wrong.png", "top_losses.png", "learning_curves.png", "tta_spread.png", "unknown_energy.png" })
        {
            Assert.Contains(name, files.Images);
            var img = PngTestReader.Decode(File.ReadAllBytes(Path.Combine(dir.Path, name)));
            Assert.True(img.Width >= 200 && img.Height >= 100, $"{name} is {img.Width}×{img.Height}");
        }
        var html = File.ReadAllText(files.HtmlPath);
        foreach (var id in EvaluationReport.SectionIds) Assert.Contains($"<section id=\"{id}\"", html);
        Assert.Contains("food4 &amp; &lt;friends&gt;", html);
        Assert.Matches("&lt;\\d+&gt;\\.jpg", html); // item names are escaped…
        Assert.DoesNotMatch("<\\d+>\\.jpg", html);      // …everywhere
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("http://", html);
        Assert.DoesNotContain("https://", html);
        var sources = ImageSources(html);
        Assert.Equal(files.Images.Count, sources.Count);
        foreach (var src in sources)
        {
            Assert.StartsWith("data:image/png;base64,", src);
            PngTestReader.Decode(Convert.FromBase64String(src["data:image/png;base64,".Length..]));
        }
        using (var unknown = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.Path, "unknown.json"))))
        {
            var energy = unknown.RootElement.GetProperty("scores")[0];
            Assert.Equal("energy", energy.GetProperty("score").GetString());
            Assert.Equal(0.9, energy.GetProperty("auroc").GetDouble());
            Assert.Equal(5, energy.GetProperty("unknown_scores").GetArrayLength());
        }
        var doc = MetricsJson.Load(files.MetricsPath);
        Assert.Equal("food4 & <friends>", doc.Title);
        Assert.Equal(80, doc.Evaluation.Count);
        Assert.Equal(3, doc.Tta!.Passes);
        Assert.Equal(2, doc.Comparison!.Rows.Length);
    }

    [Fact]
    public void WithoutOptionalDataOnlyCoreSectionsAndNoGalleries()
    {
        using var dir = new TempDirectory();
        var (_, result) = Evaluate();
        var files = EvaluationReport.Write(Path.Combine(dir.Path, "new", "folder"), result);
        Assert.Equal(["confusion_matrix.png", "per_class_accuracy.png", "reliability.png", "confidence_histogram.png"], files.Images);
        var html = File.ReadAllText(files.HtmlPath);
        Assert.Contains("<section id=\"top-losses\"", html);
        Assert.DoesNotContain("<section id=\"tta\"", html);
        Assert.DoesNotContain("<section id=\"learning-curves\"", html);
        Assert.Equal(4, ImageSources(html).Count);
    }

    [Fact]
    public void MismatchedTtaIsRejected()
    {
        using var dir = new TempDirectory();
        var (_, result) = Evaluate();
        var tta = TtaAggregation.Combine([[[0.5f, 0.5f]]]);
        Assert.Contains("TTA result covers 1 items", Assert.Throws<ArgumentException>(() => EvaluationReport.Write(dir.Path, result, new EvaluationReportOptions { Tta = tta })).Message);
    }

    [ChromiumFact]
    public void ReportRendersInHeadlessChromium()
    {
        using var dir = new TempDirectory();
        var files = WriteFull(dir.Path);

        // A copy with a probe script (the report itself has none) asks the browser how many images actually decoded.
        var probe = Path.Combine(dir.Path, "probe.html");
        File.WriteAllText(probe, File.ReadAllText(files.HtmlPath).Replace("</body>",
            "<script>window.addEventListener('load',()=>{const i=[...document.images];" +
            "document.body.setAttribute('data-probe',i.filter(x=>x.complete&&x.naturalWidth>0).length+'/'+i.length);});</script></body>"));
        var probed = Chromium("--virtual-time-budget=5000", "--dump-dom", "file://" + probe);
        foreach (var id in EvaluationReport.SectionIds) Assert.Contains($"id=\"{id}\"", probed);
        Assert.Equal(files.Images.Count, ImageSources(probed).Count);
        var m = Regex.Match(probed, "data-probe=\"(\\d+)/(\\d+)\"");
        Assert.True(m.Success, "the probe did not run");
        Assert.Equal(files.Images.Count.ToString(), m.Groups[2].Value);
        Assert.Equal(m.Groups[2].Value, m.Groups[1].Value);

        var shot = Path.Combine(dir.Path, "shot.png");
        Chromium($"--screenshot={shot}", "--window-size=1200,900", "--hide-scrollbars", "file://" + files.HtmlPath);
        var img = PngTestReader.Decode(File.ReadAllBytes(shot));
        Assert.Equal((1200, 900), (img.Width, img.Height));
        Assert.True(ImageAssert.DistinctColors(img) > 50, "screenshot looks blank");
    }

    private static string Chromium(params string[] args)
    {
        var psi = new ProcessStartInfo(ChromiumFactAttribute.ChromiumPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run", "--disable-extensions", "--user-data-dir=" + Path.Combine(Path.GetTempPath(), "sv-chromium-" + Environment.ProcessId) })
            psi.ArgumentList.Add(a);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(60_000))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException("chromium did not finish in 60 s");
        }
        Assert.True(p.ExitCode == 0, $"chromium exited {p.ExitCode}: {stderr.Result}");
        return stdout;
    }
}
