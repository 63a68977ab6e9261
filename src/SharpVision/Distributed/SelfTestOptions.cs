namespace SharpVision.Distributed;

/// <summary>Settings of a <see cref="DataParallelSelfTest"/> run; identical on every rank.</summary>
public sealed record SelfTestOptions
{
    /// <summary>The network.</summary>
    public SelfTestModel Model { get; init; } = SelfTestModel.Tiny;

    /// <summary>Side of the square synthetic images in pixels.</summary>
    public int ImageSize { get; init; } = 16;

    /// <summary>Number of classes.</summary>
    public int Classes { get; init; } = 5;

    /// <summary>Number of synthetic samples.</summary>
    public int Samples { get; init; } = 64;

    /// <summary>Samples per optimizer step over all ranks; each rank takes GlobalBatch / WorldSize of them.</summary>
    public int GlobalBatch { get; init; } = 8;

    /// <summary>Optimizer steps.</summary>
    public int Steps { get; init; } = 5;

    /// <summary>SGD learning rate.</summary>
    public double LearningRate { get; init; } = 0.05;

    /// <summary>SGD momentum.</summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary>Seed of the data, the initial weights and the sample order.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Bucket size bound of the gradient all-reduce.</summary>
    public long BucketBytes { get; init; } = GradientSynchronizer.DefaultBucketBytes;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate(int worldSize)
    {
        if (ImageSize < 4) throw new ArgumentException($"image size must be at least 4, got {ImageSize}", nameof(ImageSize));
        if (Model == SelfTestModel.ConvNet && ImageSize % 8 != 0) throw new ArgumentException($"the convnet needs an image size divisible by 8, got {ImageSize}", nameof(ImageSize));
        if (Classes < 2) throw new ArgumentException($"at least 2 classes are needed, got {Classes}", nameof(Classes));
        if (GlobalBatch < 1 || GlobalBatch % worldSize != 0)
            throw new ArgumentException($"the global batch {GlobalBatch} must be a positive multiple of the world size {worldSize}", nameof(GlobalBatch));
        if (Samples < GlobalBatch) throw new ArgumentException($"{Samples} samples do not fill one global batch of {GlobalBatch}", nameof(Samples));
        if (Steps < 1) throw new ArgumentException($"steps must be at least 1, got {Steps}", nameof(Steps));
        if (LearningRate <= 0) throw new ArgumentException($"learning rate must be positive, got {LearningRate}", nameof(LearningRate));
        if (BucketBytes < 1) throw new ArgumentException($"bucket size must be positive, got {BucketBytes}", nameof(BucketBytes));
    }
}
