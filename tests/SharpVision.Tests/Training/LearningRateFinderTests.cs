using SharpVision.Data;
using SharpVision.Engine;
using SharpVision.Layers;
using SharpVision.Models;
using SharpVision.Tests.Reports;
using SharpVision.Tests.Support;
using SharpVision.Training;
using SharpVision.Training.LearningRates;
using SharpVision.Training.Optimizers;

namespace SharpVision.Tests.Training;

[Collection("Serial")]
public class LearningRateFinderTests
{
    private static Optimizer Adam(Module model, double lr) =>
        new Adam(new[] { new ParameterGroup(model.NamedParameters().Select(p => new NamedTensor(p.Name, p.Parameter.Value))) }, lr);

    [Fact]
    public void SweepLeavesTheModelsWeightsAndTheRandomGeneratorUntouched()
    {
        Torch.ManualSeed(3);
        using var model = new Sequential(new Module[] { new Linear(4, 16, activation: Activation.Relu), new Dropout(0.5), new Linear(16, 2) });
        var before = model.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.Clone());
        byte[] rngBefore;
        using (var g = Generator.Default) rngBefore = g.GetState();
        using var loss = new LossFunction();
        var finder = new LearningRateFinder(model, lr => Adam(model, lr), loss, new StandardInputPipeline(Device.Cpu, Normalization.Unit),
            new LearningRateFinderOptions { Steps = 40 });

        var result = finder.Run(new BlobSource(64, 0));

        foreach (var (name, t) in model.StateDict())
            using (t)
                Assert.True(t.Equal(before[name]), $"{name} changed");
        using (var g = Generator.Default) Assert.Equal(rngBefore, g.GetState());
        Assert.True(model.Parameters().All(p => p.Value.Grad is null || p.Value.Grad!.Abs().Sum().Item() == 0), "gradients left behind");
        foreach (var t in before.Values) t.Dispose();
        // The sweep itself did train: 40 steps over 8 batches (the data is cycled), rates growing geometrically.
        Assert.InRange(result.LearningRates.Count, 10, 40);
        Assert.Equal(1e-7, result.LearningRates[0], 12);
        var r = result.LearningRates[1] / result.LearningRates[0];
        for (var i = 2; i < result.LearningRates.Count; i++) Assert.Equal(r, result.LearningRates[i] / result.LearningRates[i - 1], 6);
        Assert.InRange(result.Suggested, result.LearningRates[0] * 0.99, result.LearningRates[^1] * 1.01);
    }

    [Fact]
    public void ValleyIsTheMiddleOfTheLongestFallAndSteepestIsTheFastestDrop()
    {
        // Flat at 2.0 for 30 points, falling linearly to 0.5 over 40 points, then blowing up.
        var loss = new List<double>();
        for (var i = 0; i < 30; i++) loss.Add(2.0);
        for (var i = 0; i < 40; i++) loss.Add(2.0 - 1.5 * (i + 1) / 40.0 - (i == 20 ? 0.3 : 0));
        for (var i = 0; i < 30; i++) loss.Add(0.5 + 0.3 * (i + 1));
        var rates = Enumerable.Range(0, 100).Select(i => 1e-7 * Math.Pow(1e8, i / 99.0)).ToArray();
        var result = LearningRateFinderResult.From(rates, loss, loss, diverged: false);
        // The fall spans indices 29..69 (its longest decreasing subsequence); fastai's valley takes its middle.
        Assert.InRange(result.Suggested, rates[45] * 0.99, rates[53] * 1.01);
        Assert.Equal(rates[69] / 10, result.MinimumOverTen, 12);
        Assert.Equal(rates[49], result.Steepest, 12); // the extra 0.3 drop between 49 and 50
        Assert.Contains("valley", result.Describe());
    }

    [Fact]
    public void TheFigureShowsTheCurveAndTheCsvHasEveryStep()
    {
        var rates = Enumerable.Range(0, 50).Select(i => 1e-6 * Math.Pow(10, i / 10.0)).ToArray();
        var loss = rates.Select(r => 2 - Math.Log10(r / 1e-6) * 0.3 + (r > 1e-3 ? 5 * Math.Log10(r / 1e-3) : 0)).ToArray();
        var result = LearningRateFinderResult.From(rates, loss, loss, diverged: true);
        var csv = result.ToCsv().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(51, csv.Length);
        Assert.Equal("step,learning_rate,loss,smoothed_loss", csv[0]);
        var image = PngTestReader.Decode(SharpVision.Imaging.PngEncoder.Encode(result.Render()));
        Assert.Equal(720, image.Width);
        // Some pixels carry the curve's colour (the first palette colour) and the dashed red marker.
        var curve = SharpVision.Reports.Charts.Color.Series(0);
        var red = SharpVision.Reports.Charts.Color.Wrong;
        int curvePixels = 0, redPixels = 0;
        for (var p = 0; p < image.Width * image.Height; p++)
        {
            var (r, g, b) = (image.Pixels[p * 3], image.Pixels[p * 3 + 1], image.Pixels[p * 3 + 2]);
            if (r == curve.R && g == curve.G && b == curve.B) curvePixels++;
            if (r == red.R && g == red.G && b == red.B) redPixels++;
        }
        Assert.True(curvePixels > 200, $"curve pixels: {curvePixels}");
        Assert.True(redPixels > 50, $"marker pixels: {redPixels}");
    }

    [Fact]
    public void LrFindCliWritesTheCurveAndTrainLrAutoUsesTheSuggestion()
    {
        using var tmp = new TempDirectory();
        var data = SyntheticImages.CreateFolder(tmp.File("data"), perClass: 30, size: 16);
        var run = tmp.File("run");
        using (var p = CliProcess.Start(new[] { "lr-find", "--data", data, "--model", "fashion-cnn", "--input", "16", "--batch", "8",
                   "--steps", "30", "--out", run }))
        {
            p.WaitForExit(TimeSpan.FromSeconds(120));
            Assert.True(p.ExitCode == 0, p.Output);
            Assert.Contains("Suggested learning rate:", p.Stdout);
            Assert.Contains("valley", p.Stdout);
            Assert.Contains("Train with: --lr ", p.Stdout);
        }
        Assert.True(File.Exists(Path.Combine(run, "lr-find.png")));
        Assert.InRange(File.ReadAllLines(Path.Combine(run, "lr-find.csv")).Length, 11, 31); // stops early when the loss diverges

        using (var p = CliProcess.Start(new[] { "train", "--data", data, "--model", "fashion-cnn", "--input", "16", "--batch", "8",
                   "--epochs", "1", "--lr", "auto", "--out", tmp.File("auto"), "--no-progress" }))
        {
            p.WaitForExit(TimeSpan.FromSeconds(120));
            Assert.True(p.ExitCode == 0, p.Output);
            var suggested = System.Text.RegularExpressions.Regex.Match(p.Stdout, @"Suggested learning rate: (\S+) ").Groups[1].Value;
            Assert.Contains($"Training with --lr {suggested} (lr-find's suggestion)", p.Stdout);
            var history = History.FromCsv(File.ReadAllText(Path.Combine(tmp.File("auto"), "history.csv")));
            Assert.Equal(double.Parse(suggested, System.Globalization.CultureInfo.InvariantCulture), history[0]["lr"], 6);
        }
    }

    [Theory]
    [InlineData("-1", "--lr must be a positive number")]
    [InlineData("fast", "--lr must be a positive number")]
    public void BadLearningRateIsOneLineBeforeAnyDataIsRead(string lr, string expected)
    {
        using var p = CliProcess.Start(new[] { "train", "--data", ".", "--model", "fashion-cnn", "--lr", lr, "--out", "/tmp/never" });
        p.WaitForExit(TimeSpan.FromSeconds(60));
        Assert.Equal(2, p.ExitCode);
        Assert.Equal($"error: {expected}", p.Stderr.Trim()[..(expected.Length + 7)]);
        Assert.Single(p.Stderr.Trim().Split('\n'));
    }
}
