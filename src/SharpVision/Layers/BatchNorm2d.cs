namespace SharpVision.Layers;

/// <summary>Batch normalisation over [N, C, H, W] (torch.nn.BatchNorm2d, Keras BatchNormalization on images).</summary>
public sealed class BatchNorm2d : BatchNorm
{
    /// <summary>Creates the layer (PyTorch defaults: eps 1e-5, momentum 0.1).</summary>
    public BatchNorm2d(int numFeatures, double eps = 1e-5, double? momentum = 0.1, bool affine = true, bool trackRunningStats = true)
        : base(numFeatures, eps, momentum, affine, trackRunningStats) { }

    /// <inheritdoc />
    protected override bool AcceptsRank(int rank) => rank == 4;
}
