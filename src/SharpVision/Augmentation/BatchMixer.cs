using SharpVision.Engine;

namespace SharpVision.Augmentation;

/// <summary>
/// MixUp (Zhang et al. 2018) and CutMix (Yun et al. 2019) on a whole batch: each image is mixed with the image at a
/// random permutation of the batch, with one λ ~ Beta(α, α) per batch, and the targets become soft class
/// probabilities [N, classes] to be used with <c>Functional.CrossEntropy</c>. When both are enabled each batch uses one
/// of them with probability ½ (as timm does).
/// </summary>
public sealed class BatchMixer
{
    /// <summary>Creates a mixer with the MixUp and CutMix α of <paramref name="spec"/>.</summary>
    public BatchMixer(AugmentationSpec spec) : this(spec?.MixUp ?? throw new ArgumentNullException(nameof(spec)), spec.CutMix) { }

    /// <summary>Creates a mixer; an α of 0 disables that method.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An α is negative or not finite.</exception>
    public BatchMixer(double mixUpAlpha, double cutMixAlpha)
    {
        if (!(mixUpAlpha >= 0) || double.IsInfinity(mixUpAlpha)) throw new ArgumentOutOfRangeException(nameof(mixUpAlpha), mixUpAlpha, "MixUp α must be ≥ 0");
        if (!(cutMixAlpha >= 0) || double.IsInfinity(cutMixAlpha)) throw new ArgumentOutOfRangeException(nameof(cutMixAlpha), cutMixAlpha, "CutMix α must be ≥ 0");
        MixUpAlpha = mixUpAlpha;
        CutMixAlpha = cutMixAlpha;
    }

    /// <summary>MixUp's Beta parameter (0 = off).</summary>
    public double MixUpAlpha { get; }

    /// <summary>CutMix's Beta parameter (0 = off).</summary>
    public double CutMixAlpha { get; }

    /// <summary>True when MixUp or CutMix is enabled.</summary>
    public bool Enabled => MixUpAlpha > 0 || CutMixAlpha > 0;

    /// <summary>
    /// Mixes the batch. Returns new tensors: the mixed images (same shape, dtype and device) and soft targets [N, classes]
    /// (the images' float dtype, each row summing to 1, weights equal to the share of each source image). When
    /// <see cref="Enabled"/> is false the images are copied unchanged and the targets are one-hot.
    /// </summary>
    /// <param name="images">Float NCHW batch.</param>
    /// <param name="labels">Class indices, int64 [N], on the images' device.</param>
    /// <param name="numClasses">Number of classes.</param>
    /// <param name="generator">Source of all randomness.</param>
    /// <exception cref="ArgumentException">Shapes or dtypes do not fit, or a label is outside [0, numClasses).</exception>
    public (Tensor Images, Tensor SoftTargets) Apply(Tensor images, Tensor labels, int numClasses, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(generator);
        Validate(images, labels, numClasses);
        var shape = images.Shape;
        var n = shape[0];

        using var noGrad = Torch.NoGrad();
        using var scope = Torch.NewDisposeScope();
        var oneHot = labels.OneHot(numClasses).To(images.DType);
        if (!Enabled) return (images.Clone().MoveToOuterDisposeScope(), oneHot.MoveToOuterDisposeScope());

        var random = new RandomStream(generator);
        var useCutMix = CutMixAlpha > 0 && (MixUpAlpha == 0 || random.Uniform() < 0.5);
        var alpha = useCutMix ? CutMixAlpha : MixUpAlpha;
        var lambda = random.Beta(alpha, alpha);
        var permutation = Tensor.Randperm(n, generator).To(images.Device);
        var partner = images.IndexSelect(0, permutation);

        Tensor mixed;
        if (useCutMix)
        {
            // A box covering about (1 − λ) of the image, centred anywhere, clipped at the border; λ is then corrected to
            // the exact share of pixels the image keeps.
            int h = (int)shape[2], w = (int)shape[3];
            var cut = Math.Sqrt(1 - lambda);
            int cutH = (int)(h * cut), cutW = (int)(w * cut);
            var cy = (int)(random.Uniform() * h);
            var cx = (int)(random.Uniform() * w);
            int y0 = Math.Clamp(cy - cutH / 2, 0, h), y1 = Math.Clamp(cy + cutH / 2, 0, h);
            int x0 = Math.Clamp(cx - cutW / 2, 0, w), x1 = Math.Clamp(cx + cutW / 2, 0, w);
            mixed = images.Clone();
            if (y1 > y0 && x1 > x0)
            {
                var window = mixed.Narrow(2, y0, y1 - y0).Narrow(3, x0, x1 - x0);
                window.Copy_(partner.Narrow(2, y0, y1 - y0).Narrow(3, x0, x1 - x0));
            }
            lambda = 1 - (double)(y1 - y0) * (x1 - x0) / ((double)h * w);
        }
        else
        {
            mixed = images * lambda + partner * (1 - lambda);
        }
        var targets = oneHot * lambda + oneHot.IndexSelect(0, permutation) * (1 - lambda);
        return (mixed.MoveToOuterDisposeScope(), targets.MoveToOuterDisposeScope());
    }

    private static void Validate(Tensor images, Tensor labels, int numClasses)
    {
        if (images.Dim != 4 || !images.DType.IsFloatingPoint())
            throw new ArgumentException($"images must be a floating-point NCHW batch, got {images}", nameof(images));
        if (labels.Dim != 1 || labels.DType != DType.Int64 || labels.Size(0) != images.Size(0))
            throw new ArgumentException($"labels must be int64 [{images.Size(0)}] (one class index per image), got {labels}", nameof(labels));
        if (numClasses < 1) throw new ArgumentOutOfRangeException(nameof(numClasses), numClasses, "need at least one class");
        if (labels.NumberOfElements == 0) return;
        using var scope = Torch.NewDisposeScope();
        var min = labels.Min().ItemLong();
        var max = labels.Max().ItemLong();
        if (min < 0 || max >= numClasses)
            throw new ArgumentException($"labels must be in [0, {numClasses}), found values from {min} to {max}", nameof(labels));
    }
}
