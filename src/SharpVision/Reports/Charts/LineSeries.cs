namespace SharpVision.Reports.Charts;

/// <summary>One line of a <see cref="LineChart"/>: y values at x positions (1, 2, 3, … when <see cref="X"/> is null).</summary>
public sealed record LineSeries
{
    /// <summary>Creates a series.</summary>
    public LineSeries(string name, IReadOnlyList<double> y, IReadOnlyList<double>? x = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(y);
        if (x is not null && x.Count != y.Count)
            throw new ArgumentException($"series '{name}': {x.Count} x values for {y.Count} y values");
        Name = name;
        Y = y;
        X = x;
    }

    /// <summary>Legend text.</summary>
    public string Name { get; }

    /// <summary>The values (NaN leaves a gap).</summary>
    public IReadOnlyList<double> Y { get; }

    /// <summary>The x positions, or null for 1..n.</summary>
    public IReadOnlyList<double>? X { get; }

    /// <summary>Line colour; null picks the next palette colour.</summary>
    public Color? Color { get; init; }

    /// <summary>Draws the line dashed (e.g. validation curves).</summary>
    public bool Dashed { get; init; }

    /// <summary>Draws a marker at each point (defaults to on when the series has at most 40 points).</summary>
    public bool? Markers { get; init; }

    internal double XAt(int i) => X is null ? i + 1 : X[i];
}
