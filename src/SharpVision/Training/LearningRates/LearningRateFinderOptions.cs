namespace SharpVision.Training.LearningRates;

/// <summary>Settings of <see cref="LearningRateFinder"/>: an exponential sweep from <see cref="StartLearningRate"/> to <see cref="EndLearningRate"/>.</summary>
public sealed record LearningRateFinderOptions
{
    /// <summary>The rate of the first mini-batch.</summary>
    public double StartLearningRate { get; init; } = 1e-7;

    /// <summary>The rate of the last mini-batch (the sweep usually stops earlier, when the loss diverges).</summary>
    public double EndLearningRate { get; init; } = 10;

    /// <summary>Mini-batches (optimizer steps) in the sweep; the data is cycled when an epoch has fewer.</summary>
    public int Steps { get; init; } = 100;

    /// <summary>Weight of the previous value in the loss's exponential moving average (fastai's 0.98).</summary>
    public double Smoothing { get; init; } = 0.98;

    /// <summary>Stop when the smoothed loss exceeds this multiple of its minimum (divergence).</summary>
    public double DivergenceFactor { get; init; } = 4;

    /// <summary>Checks the values; throws <see cref="ArgumentException"/> naming the bad one.</summary>
    public void Validate()
    {
        if (!(StartLearningRate > 0) || double.IsInfinity(StartLearningRate))
            throw new ArgumentException($"--start-lr must be a positive number, got {StartLearningRate}");
        if (!(EndLearningRate > StartLearningRate) || double.IsInfinity(EndLearningRate))
            throw new ArgumentException($"--end-lr must be larger than --start-lr ({StartLearningRate}), got {EndLearningRate}");
        if (Steps < 10) throw new ArgumentException($"--steps must be at least 10, got {Steps}");
        if (Smoothing is < 0 or >= 1) throw new ArgumentException($"the loss smoothing must be in [0, 1), got {Smoothing}");
        if (!(DivergenceFactor > 1)) throw new ArgumentException($"the divergence factor must be above 1, got {DivergenceFactor}");
    }
}
