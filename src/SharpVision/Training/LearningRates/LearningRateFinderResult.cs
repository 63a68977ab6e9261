using System.Globalization;
using System.Text;
using SharpVision.Imaging;
using SharpVision.Reports.Charts;

namespace SharpVision.Training.LearningRates;

/// <summary>
/// The curve of a <see cref="LearningRateFinder"/> sweep (rate, loss and smoothed loss of each mini-batch) and the
/// rates read off it. <see cref="Suggested"/> is fastai's "valley" rule; "steepest" and "minimum / 10" are given beside it.
/// </summary>
public sealed class LearningRateFinderResult
{
    /// <summary>How <see cref="Suggested"/> is chosen, in words (printed with the suggestion).</summary>
    public const string Rule = "valley: the middle of the longest stretch over which the smoothed loss keeps falling (fastai's default)";

    private LearningRateFinderResult(double[] rates, double[] losses, double[] smoothed, bool diverged)
    {
        LearningRates = rates;
        Losses = losses;
        SmoothedLosses = smoothed;
        Diverged = diverged;
    }

    /// <summary>The rate of each mini-batch.</summary>
    public IReadOnlyList<double> LearningRates { get; }

    /// <summary>The loss of each mini-batch.</summary>
    public IReadOnlyList<double> Losses { get; }

    /// <summary>The loss's bias-corrected exponential moving average.</summary>
    public IReadOnlyList<double> SmoothedLosses { get; }

    /// <summary>True when the sweep stopped early because the loss blew up.</summary>
    public bool Diverged { get; }

    /// <summary>The suggested rate (<see cref="Rule"/>), rounded to three significant digits.</summary>
    public double Suggested { get; private init; }

    /// <summary>The rate where the smoothed loss falls fastest per decade of rate.</summary>
    public double Steepest { get; private init; }

    /// <summary>A tenth of the rate at the smoothed loss's minimum (the classic rule of thumb).</summary>
    public double MinimumOverTen { get; private init; }

    /// <summary>
    /// True when the smoothed loss never fell more than 2% below where it started: the model barely learned at any rate
    /// of the sweep (a plain deep CNN without BatchNorm, e.g.), so the suggestion is a cautious guess from noise.
    /// </summary>
    public bool IsFlat { get; private init; }

    /// <summary>Builds the result and its suggestions from a recorded sweep.</summary>
    public static LearningRateFinderResult From(IReadOnlyList<double> rates, IReadOnlyList<double> losses, IReadOnlyList<double> smoothed, bool diverged)
    {
        if (rates.Count != losses.Count || rates.Count != smoothed.Count) throw new ArgumentException("rates, losses and smoothed losses must have the same length");
        if (rates.Count < 3) throw new ArgumentException($"the sweep recorded only {rates.Count} mini-batch(es); it needs at least 3 (more training images, or a smaller --batch)");
        // As fastai: the first tenth (noise at tiny rates) and the last few points (the blow-up) are left out.
        var start = rates.Count / 10;
        var end = Math.Max(start + 2, rates.Count - (diverged ? 5 : 0));
        end = Math.Min(end, rates.Count);
        var lr = rates.Skip(start).Take(end - start).ToArray();
        var loss = smoothed.Skip(start).Take(end - start).ToArray();
        return new LearningRateFinderResult(rates.ToArray(), losses.ToArray(), smoothed.ToArray(), diverged)
        {
            // Rounded to what is printed, so `--lr <printed>` and `--lr auto` train identically.
            Suggested = double.Parse(Format(lr[Valley(loss)]), CultureInfo.InvariantCulture),
            Steepest = lr[SteepestIndex(lr, loss)],
            MinimumOverTen = lr[ArgMin(loss)] / 10,
            IsFlat = loss.Min() > 0.98 * loss[0],
        };
    }

    /// <summary>fastai's valley: the middle of the longest decreasing subsequence of the smoothed loss.</summary>
    internal static int Valley(IReadOnlyList<double> loss)
    {
        var n = loss.Count;
        var lds = Enumerable.Repeat(1, n).ToArray();
        int maxStart = 0, maxEnd = 0;
        for (var i = 1; i < n; i++)
        {
            for (var j = 0; j < i; j++)
                if (loss[i] < loss[j] && lds[i] < lds[j] + 1) lds[i] = lds[j] + 1;
            if (lds[maxEnd] < lds[i])
            {
                maxEnd = i;
                maxStart = maxEnd - lds[maxEnd];
            }
        }
        var sections = (maxEnd - maxStart) / 3.0;
        return Math.Clamp(maxStart + (int)sections + (int)(sections / 2), 0, n - 1);
    }

    private static int SteepestIndex(IReadOnlyList<double> lr, IReadOnlyList<double> loss)
    {
        var best = 0;
        var bestSlope = double.PositiveInfinity;
        for (var i = 0; i + 1 < loss.Count; i++)
        {
            var slope = (loss[i + 1] - loss[i]) / (Math.Log(lr[i + 1]) - Math.Log(lr[i]));
            if (slope < bestSlope)
            {
                bestSlope = slope;
                best = i;
            }
        }
        return best;
    }

    private static int ArgMin(IReadOnlyList<double> values)
    {
        var best = 0;
        for (var i = 1; i < values.Count; i++)
            if (values[i] < values[best]) best = i;
        return best;
    }

    /// <summary>The suggestion with its rule and the alternatives, one line.</summary>
    public string Describe()
    {
        var text = string.Create(CultureInfo.InvariantCulture,
            $"Suggested learning rate: {Format(Suggested)} ({Rule}); steepest descent at {Format(Steepest)}, minimum / 10 = {Format(MinimumOverTen)}; " +
            $"{LearningRates.Count} mini-batches from {Format(LearningRates[0])} to {Format(LearningRates[^1])}{(Diverged ? ", stopped when the loss diverged" : "")}");
        return IsFlat
            ? text + ". The loss hardly fell at any rate (less than 2%): the model learns slowly here, the suggestion is cautious; more --steps show more of the curve"
            : text;
    }

    /// <summary>A rate as the CLI accepts it (3 significant digits, e.g. 2.5e-4).</summary>
    public static string Format(double rate) => rate.ToString("0.##e0", CultureInfo.InvariantCulture);

    /// <summary>The sweep recorded in a run folder's lr-find.csv (by `sharpvision lr-find --out` that folder, or `train --lr auto`), or null.</summary>
    public static LearningRateFinderResult? Load(string runDirectory)
    {
        var csv = Path.Combine(runDirectory, CsvFile);
        if (!File.Exists(csv)) return null;
        var rows = new List<(double Lr, double Loss, double Smoothed)>();
        foreach (var line in File.ReadAllLines(csv).Skip(1))
        {
            var c = line.Split(',');
            if (c.Length != 4 || !double.TryParse(c[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var lr)
                || !double.TryParse(c[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var loss)
                || !double.TryParse(c[3], NumberStyles.Float, CultureInfo.InvariantCulture, out var smoothed))
                throw new InvalidDataException($"{csv}: '{line}' is not step,learning_rate,loss,smoothed_loss");
            rows.Add((lr, loss, smoothed));
        }
        if (rows.Count < 3) return null;
        // A sweep stops early only when the smoothed loss blew past DivergenceFactor × its minimum (or became NaN).
        var diverged = !double.IsFinite(rows[^1].Smoothed) || rows[^1].Smoothed > new LearningRateFinderOptions().DivergenceFactor * rows.Min(r => r.Smoothed);
        return From(rows.Select(r => r.Lr).ToList(), rows.Select(r => r.Loss).ToList(), rows.Select(r => r.Smoothed).ToList(), diverged);
    }

    /// <summary>File name of the curve in a run folder.</summary>
    public const string CsvFile = "lr-find.csv";

    /// <summary>The curve as CSV: step, learning_rate, loss, smoothed_loss.</summary>
    public string ToCsv()
    {
        var sb = new StringBuilder("step,learning_rate,loss,smoothed_loss\n");
        for (var i = 0; i < LearningRates.Count; i++)
            sb.Append(CultureInfo.InvariantCulture, $"{i + 1},{LearningRates[i]:G9},{Losses[i]:G9},{SmoothedLosses[i]:G9}\n");
        return sb.ToString();
    }

    /// <summary>The loss against the rate (log scale), the suggestion marked: the figure fastai's lr_find plots.</summary>
    public RgbImage Render(int width = 720, int height = 440)
    {
        var x = LearningRates.Select(Math.Log10).ToArray();
        var finite = SmoothedLosses.Where(double.IsFinite).ToArray();
        var low = finite.Length == 0 ? 0 : finite.Min();
        // The curve up to twice its start: the blow-up would flatten everything else.
        var high = finite.Length == 0 ? 1 : Math.Min(finite.Max(), 2 * finite[0] - low + 1e-6);
        var clipped = SmoothedLosses.Select(v => double.IsFinite(v) && v <= high ? v : double.NaN).ToArray();
        var raw = Losses.Select(v => double.IsFinite(v) && v <= high ? v : double.NaN).ToArray();
        var at = Math.Log10(Suggested);
        var series = new List<LineSeries>
        {
            new("loss per mini-batch", raw, x) { Color = new Color(190, 190, 190), Markers = false },
            new("smoothed loss", clipped, x) { Color = Color.Series(0), Markers = false },
            new($"suggested {Format(Suggested)} (valley)", new[] { low, high }, new[] { at, at }) { Color = Color.Wrong, Dashed = true, Markers = false },
        };
        return LineChart.Render(series, new ChartOptions
        {
            Width = width,
            Height = height,
            Title = "Learning-rate finder",
            XLabel = "learning rate (log10)",
            YLabel = "training loss",
            YMin = low,
            YMax = high,
        });
    }
}
