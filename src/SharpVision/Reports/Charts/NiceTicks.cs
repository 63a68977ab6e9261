using System.Globalization;

namespace SharpVision.Reports.Charts;

/// <summary>Axis ticks at "nice" values (1, 2, 2.5, 5 × 10ⁿ) covering a data range (Heckbert's algorithm).</summary>
public sealed class NiceTicks
{
    private NiceTicks(double min, double max, double step, double[] values, int decimals)
    {
        Min = min;
        Max = max;
        Step = step;
        Values = values;
        Decimals = decimals;
    }

    /// <summary>The axis start (a multiple of <see cref="Step"/> at or below the data minimum).</summary>
    public double Min { get; }

    /// <summary>The axis end (a multiple of <see cref="Step"/> at or above the data maximum).</summary>
    public double Max { get; }

    /// <summary>Distance between ticks.</summary>
    public double Step { get; }

    /// <summary>The tick values from <see cref="Min"/> to <see cref="Max"/>.</summary>
    public IReadOnlyList<double> Values { get; }

    /// <summary>Decimals needed to print the ticks exactly.</summary>
    public int Decimals { get; }

    /// <summary>Computes about <paramref name="targetCount"/> ticks covering [min, max]. A zero-width range is widened.</summary>
    public static NiceTicks Compute(double min, double max, int targetCount = 6, bool integerOnly = false)
    {
        if (double.IsNaN(min) || double.IsNaN(max) || double.IsInfinity(min) || double.IsInfinity(max))
            throw new ArgumentException($"tick range must be finite, got [{min}, {max}]");
        if (min > max) (min, max) = (max, min);
        if (max - min < 1e-12)
        {
            var pad = Math.Abs(min) > 1e-12 ? Math.Abs(min) * 0.1 : 1;
            min -= pad;
            max += pad;
        }
        targetCount = Math.Max(2, targetCount);
        var step = NiceNumber((max - min) / (targetCount - 1), round: true);
        if (integerOnly) step = Math.Max(1, Math.Round(step));
        var lo = Math.Floor(min / step + 1e-9) * step;
        var hi = Math.Ceiling(max / step - 1e-9) * step;
        var n = (int)Math.Round((hi - lo) / step);
        var values = new double[n + 1];
        for (var i = 0; i <= n; i++) values[i] = Math.Round(lo + i * step, 10);
        var decimals = 0;
        while (decimals < 8 && Math.Abs(step * Math.Pow(10, decimals) - Math.Round(step * Math.Pow(10, decimals))) > 1e-6) decimals++;
        return new NiceTicks(values[0], values[^1], step, values, decimals);
    }

    /// <summary>Prints a tick value with <see cref="Decimals"/> decimals (invariant culture).</summary>
    public string Format(double value) => value.ToString("F" + Decimals, CultureInfo.InvariantCulture);

    private static double NiceNumber(double range, bool round)
    {
        var exponent = Math.Floor(Math.Log10(range));
        var fraction = range / Math.Pow(10, exponent);
        double nice = round
            ? fraction < 1.5 ? 1 : fraction < 2.25 ? 2 : fraction < 3.5 ? 2.5 : fraction < 7.5 ? 5 : 10
            : fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
        return nice * Math.Pow(10, exponent);
    }
}
