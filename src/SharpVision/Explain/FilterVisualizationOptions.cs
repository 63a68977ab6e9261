namespace SharpVision.Explain;

/// <summary>Settings of <see cref="FilterVisualizer.Visualize"/>.</summary>
public sealed record FilterVisualizationOptions
{
    /// <summary>Gradient-ascent steps. Default 30.</summary>
    public int Steps { get; init; } = 30;

    /// <summary>
    /// Step size in pixel units ([0, 1] scale): each step moves the image by the gradient scaled to this root-mean-square
    /// change per pixel. Default 0.03.
    /// </summary>
    public double StepSize { get; init; } = 0.03;

    /// <summary>Amplitude of the uniform noise around mid-grey the image starts from. Default 0.1.</summary>
    public double InitialNoise { get; init; } = 0.1;

    /// <summary>Blur the image with a 3×3 binomial kernel every this many steps (regularises towards smooth patterns); 0 = never. Default 8.</summary>
    public int BlurEvery { get; init; } = 8;

    /// <summary>Largest random shift in pixels (wrapping around) before each step, so the pattern does not depend on exact positions; 0 = off. Default 1.</summary>
    public int Jitter { get; init; } = 1;

    /// <summary>Seed of the starting noise and the jitter.</summary>
    public long Seed { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the setting that is out of range.</summary>
    public void Validate()
    {
        if (Steps is < 1 or > 10_000) throw new ArgumentException($"filter visualisation steps must be in 1..10000, got {Steps}");
        if (!(StepSize > 0 && StepSize <= 1)) throw new ArgumentException($"filter visualisation step size must be in (0, 1], got {StepSize}");
        if (!(InitialNoise is >= 0 and <= 0.5)) throw new ArgumentException($"filter visualisation initial noise must be in [0, 0.5], got {InitialNoise}");
        if (BlurEvery < 0) throw new ArgumentException($"filter visualisation BlurEvery must be ≥ 0, got {BlurEvery}");
        if (Jitter is < 0 or > 64) throw new ArgumentException($"filter visualisation jitter must be in 0..64 pixels, got {Jitter}");
    }
}
