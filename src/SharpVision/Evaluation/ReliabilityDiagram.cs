using System.Globalization;
using SharpVision.Imaging;
using SharpVision.Reports.Charts;

namespace SharpVision.Evaluation;

/// <summary>
/// The reliability diagram: accuracy per confidence bin as bars against the diagonal of perfect calibration, with
/// the gap to each bin's mean confidence shaded red, and the expected calibration error written in the corner.
/// </summary>
public static class ReliabilityDiagram
{
    /// <summary>Renders the calibration bins.</summary>
    public static RgbImage Render(CalibrationResult calibration, ChartOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(calibration);
        if (calibration.Bins.Length == 0) throw new ArgumentException("calibration has no bins", nameof(calibration));
        options ??= new ChartOptions
        {
            Width = 520,
            Height = 480,
            Title = string.Create(CultureInfo.InvariantCulture, $"Reliability diagram (ECE {calibration.ExpectedCalibrationError:0.0000})"),
            XLabel = "confidence",
            YLabel = "accuracy",
        };
        options.Validate();
        var canvas = new Canvas(options.Width, options.Height);
        var ticks = NiceTicks.Compute(0, 1, 6);
        var frame = new PlotFrame(canvas, 0, 0, options.Width, options.Height, options.Title, options.XLabel, options.YLabel, ticks, ticks);
        frame.DrawBackground();
        var accuracyColor = Color.Series(0);
        var gapColor = Color.Wrong;
        var occupied = new List<(double X, double Y)>();
        foreach (var bin in calibration.Bins)
        {
            if (bin.Count == 0) continue;
            var x0 = (int)Math.Round(frame.X(bin.Lower)) + 1;
            var x1 = (int)Math.Round(frame.X(bin.Upper));
            var yAcc = (int)Math.Round(frame.Y(bin.Accuracy));
            var yConf = (int)Math.Round(frame.Y(bin.MeanConfidence));
            canvas.FillRect(x0, yAcc, x1 - x0, frame.Bottom - yAcc, accuracyColor, 0.85);
            // The gap (accuracy → mean confidence) is hatched so it reads both over the bar and over the background.
            var gapTop = Math.Min(yAcc, yConf);
            var gapHeight = Math.Abs(yAcc - yConf);
            canvas.FillRect(x0, gapTop, x1 - x0, gapHeight, gapColor, 0.12);
            canvas.HatchRect(x0, gapTop, x1 - x0, gapHeight, gapColor, 6, 0.8);
            canvas.DrawRect(x0, gapTop, x1 - x0, Math.Max(1, gapHeight), gapColor);
            for (var yy = (double)gapTop; yy <= frame.Bottom; yy += 6) occupied.Add(((x0 + x1) / 2.0, yy));
        }
        canvas.DrawLine(frame.X(0), frame.Y(0), frame.X(1), frame.Y(1), Color.Gray, 1.5, 5);
        for (var t = 0.0; t <= 1; t += 0.02) occupied.Add((frame.X(t), frame.Y(t)));
        frame.DrawAxes();
        frame.DrawLegend(
        [
            ("accuracy", accuracyColor, false, true),
            ("gap to mean confidence", gapColor, false, true),
            ("perfect calibration", Color.Gray, true, false),
        ], occupied);
        return canvas.ToImage();
    }
}
