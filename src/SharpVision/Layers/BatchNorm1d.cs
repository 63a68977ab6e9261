namespace SharpVision.Layers;

/// <summary>Batch normalisation over [N, C] or [N, C, L] (torch.nn.BatchNorm1d).</summary>
public sealed class BatchNorm1d : BatchNorm
{
    /// <summary>Creates the layer (PyTorch defaults: eps 1e-5, momentum 0.1).</summary>
    public BatchNorm1d(int numFeatures, double eps = 1e-5, double? momentum = 0.1, bool affine = true, bool trackRunningStats = true)
        : base(numFeatures, eps, momentum, affine, trackRunningStats) { }

    /// <inheritdoc />
    protected override bool AcceptsRank(int rank) => rank is 2 or 3;
}
