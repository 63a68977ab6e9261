namespace SharpVision.Models;

/// <summary>How an open-set score says "not one of the classes" (higher = more likely unknown).</summary>
public enum UnknownScoreKind
{
    /// <summary>Minus the largest softmax probability (Hendrycks &amp; Gimpel, 2017).</summary>
    MaxSoftmax = 0,
    /// <summary>The free energy −log Σ exp(logit) (Liu et al., 2020): like max softmax, but it keeps the logits' magnitude.</summary>
    Energy = 1,
    /// <summary>
    /// The squared Mahalanobis distance of the penultimate features to the nearest class mean, with one shared
    /// covariance (Lee et al., 2018): needs a model that exposes its features.
    /// </summary>
    Mahalanobis = 2,
    /// <summary>
    /// 1 − the cosine similarity of the L2-normalised penultimate features to their k-th nearest training item ("deep
    /// nearest neighbours", Sun et al., 2022): needs a model that exposes its features. The best-measured score on food5.
    /// </summary>
    NearestNeighbour = 3,
}
