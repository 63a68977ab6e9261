namespace SharpVision.Reports.Charts;

/// <summary>Size and labels shared by the x/y charts.</summary>
public sealed record ChartOptions
{
    /// <summary>Image width in pixels.</summary>
    public int Width { get; init; } = 640;

    /// <summary>Image height in pixels.</summary>
    public int Height { get; init; } = 420;

    /// <summary>Title above the plot (none when null).</summary>
    public string? Title { get; init; }

    /// <summary>Label under the x axis.</summary>
    public string? XLabel { get; init; }

    /// <summary>Label beside the y axis (drawn vertically).</summary>
    public string? YLabel { get; init; }

    /// <summary>Fixed y-axis minimum (otherwise from the data).</summary>
    public double? YMin { get; init; }

    /// <summary>Fixed y-axis maximum (otherwise from the data).</summary>
    public double? YMax { get; init; }

    internal void Validate()
    {
        if (Width < 120 || Height < 100 || Width > 8000 || Height > 8000)
            throw new ArgumentException($"chart size must be between 120×100 and 8000×8000, got {Width}×{Height}");
    }
}
