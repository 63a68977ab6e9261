using SharpVision.Engine;
using SharpVision.Engine.Distributed;

namespace SharpVision.Layers;

/// <summary>
/// Batch normalisation shared by <see cref="BatchNorm1d"/> and <see cref="BatchNorm2d"/>: learnable weight/bias and
/// the buffers running_mean, running_var and num_batches_tracked, with torch.nn.BatchNorm semantics. In training mode
/// (and not frozen) batch statistics normalise and the running statistics are updated
/// (running = (1 − momentum)·running + momentum·batch; momentum null = cumulative average); otherwise the running
/// statistics are used. With a <see cref="SyncGroup"/> of several ranks, training-mode statistics are those of the
/// global batch (torch.nn.SyncBatchNorm; see BatchNorm.Sync.cs).
/// </summary>
public abstract partial class BatchNorm : Module
{
    /// <summary>Creates the layer: weight 1, bias 0, running mean 0, running var 1.</summary>
    protected BatchNorm(int numFeatures, double eps, double? momentum, bool affine, bool trackRunningStats)
        : base("batch_normalization")
    {
        if (numFeatures <= 0) throw new ArgumentOutOfRangeException(nameof(numFeatures), numFeatures, "feature count must be positive");
        if (eps <= 0) throw new ArgumentOutOfRangeException(nameof(eps), eps, "eps must be positive");
        if (momentum is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "momentum must be in [0, 1]");
        NumFeatures = numFeatures;
        Eps = eps;
        Momentum = momentum;
        TrackRunningStats = trackRunningStats;
        if (affine)
        {
            Weight = RegisterParameter("weight", Tensor.Ones(new long[] { numFeatures }));
            Bias = RegisterParameter("bias", Tensor.Zeros(new long[] { numFeatures }));
        }
        if (trackRunningStats)
        {
            RegisterBuffer("running_mean", Tensor.Zeros(new long[] { numFeatures }));
            RegisterBuffer("running_var", Tensor.Ones(new long[] { numFeatures }));
            RegisterBuffer("num_batches_tracked", Tensor.Zeros(Array.Empty<long>(), DType.Int64));
        }
    }

    /// <summary>Channels.</summary>
    public int NumFeatures { get; }
    /// <summary>Added to the variance for stability.</summary>
    public double Eps { get; }
    /// <summary>Running-statistics update factor (PyTorch convention; Keras momentum 0.99 = PyTorch 0.01); null = cumulative.</summary>
    public double? Momentum { get; }
    /// <summary>Whether running statistics are kept.</summary>
    public bool TrackRunningStats { get; }
    /// <summary>Scale γ, or null when not affine.</summary>
    public Parameter? Weight { get; }
    /// <summary>Shift β, or null when not affine.</summary>
    public Parameter? Bias { get; }

    /// <summary>The running mean (owned by the layer).</summary>
    public Tensor? RunningMean => TrackRunningStats ? Buffer("running_mean") : null;
    /// <summary>The running variance (owned by the layer).</summary>
    public Tensor? RunningVar => TrackRunningStats ? Buffer("running_var") : null;
    /// <summary>Number of training batches seen.</summary>
    public long NumBatchesTracked
    {
        get
        {
            if (!TrackRunningStats) return 0;
            return Buffer("num_batches_tracked").ItemLong();
        }
    }

    /// <summary>True when this call normalises with batch statistics: training mode and not frozen.</summary>
    public bool UsesBatchStatistics => (Training && !IsFrozen) || !TrackRunningStats;

    /// <summary>The input ranks this variant accepts.</summary>
    protected abstract bool AcceptsRank(int rank);

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        if (!AcceptsRank(input.Dim)) throw new ArgumentException($"{GetType().Name} '{Name}': unsupported input {input}", nameof(input));
        if (input.Size(1) != NumFeatures) throw new ArgumentException($"{GetType().Name} '{Name}': expected {NumFeatures} channels, got {input}", nameof(input));
        var batchStats = UsesBatchStatistics;
        var momentum = Momentum ?? 0.0;
        if (batchStats && TrackRunningStats)
        {
            var nbt = Buffer("num_batches_tracked");
            // fill_ keeps the int64 dtype (add_ with a double alpha is rejected for integer tensors).
            var count = nbt.ItemLong() + 1;
            using (Torch.NoGrad()) nbt.Fill_(count);
            if (Momentum is null) momentum = 1.0 / count;
        }
        if (SynchronizesWith() is { } group) return SynchronizedForward(input, group, momentum);
        return Functional.BatchNorm(input, TrackRunningStats ? Buffer("running_mean") : null, TrackRunningStats ? Buffer("running_var") : null,
            Weight?.Value, Bias?.Value, batchStats, momentum, Eps);
    }

    /// <inheritdoc />
    protected override string ExtraRepr => $"{NumFeatures}, eps={Eps}, momentum={Momentum?.ToString() ?? "None"}";
}
