using SharpVision.Engine;

namespace SharpVision.Models;

/// <summary>
/// Class means and one shared covariance of a classifier's penultimate features, stored in whitened form: with the
/// shrunk covariance Σ = L·Lᵀ (Cholesky), <see cref="Whitening"/> is L⁻¹ (lower triangular, packed by rows) and
/// <see cref="WhitenedMeans"/> are L⁻¹·μ_c, so the squared Mahalanobis distance to class c is ‖L⁻¹f − L⁻¹μ_c‖².
/// </summary>
public sealed class MahalanobisParameters
{
    /// <summary>Creates the parameters; the arrays must have C·D and D·(D+1)/2 entries.</summary>
    public MahalanobisParameters(int featureDim, int classCount, float[] whitenedMeans, float[] whitening, double shrinkage)
    {
        if (featureDim < 1 || classCount < 1) throw new ArgumentOutOfRangeException(nameof(featureDim), $"need at least one feature and one class, got D={featureDim}, C={classCount}");
        if (whitenedMeans.Length != (long)featureDim * classCount)
            throw new ArgumentException($"whitened means must have C·D = {classCount}·{featureDim} entries, got {whitenedMeans.Length}", nameof(whitenedMeans));
        if (whitening.Length != (long)featureDim * (featureDim + 1) / 2)
            throw new ArgumentException($"the packed whitening matrix must have D·(D+1)/2 = {(long)featureDim * (featureDim + 1) / 2} entries, got {whitening.Length}", nameof(whitening));
        FeatureDim = featureDim;
        ClassCount = classCount;
        WhitenedMeans = whitenedMeans;
        Whitening = whitening;
        Shrinkage = shrinkage;
    }

    /// <summary>Feature width D.</summary>
    public int FeatureDim { get; }

    /// <summary>Number of classes C.</summary>
    public int ClassCount { get; }

    /// <summary>L⁻¹·μ_c for each class, C rows of D.</summary>
    public float[] WhitenedMeans { get; }

    /// <summary>L⁻¹, lower triangular, packed by rows (row i holds columns 0..i).</summary>
    public float[] Whitening { get; }

    /// <summary>
    /// The share α of the covariance replaced by its mean variance (Σ = (1−α)·S + α·tr(S)/D·I) when fitted: given, or
    /// estimated by Ledoit and Wolf's formula.
    /// </summary>
    public double Shrinkage { get; }

    /// <summary>Squared Mahalanobis distance of <paramref name="features"/> to the nearest class mean.</summary>
    public double NearestDistance(ReadOnlySpan<float> features)
    {
        if (features.Length != FeatureDim) throw new ArgumentException($"expected {FeatureDim} features, got {features.Length}", nameof(features));
        var y = new double[FeatureDim];
        var offset = 0;
        for (var i = 0; i < FeatureDim; i++)
        {
            var row = Whitening.AsSpan(offset, i + 1);
            double s = 0;
            for (var j = 0; j <= i; j++) s += row[j] * (double)features[j];
            y[i] = s;
            offset += i + 1;
        }
        var best = double.PositiveInfinity;
        for (var c = 0; c < ClassCount; c++)
        {
            var mean = WhitenedMeans.AsSpan(c * FeatureDim, FeatureDim);
            double d = 0;
            for (var i = 0; i < FeatureDim; i++)
            {
                var e = y[i] - mean[i];
                d += e * e;
            }
            best = Math.Min(best, d);
        }
        return best;
    }

    /// <summary>
    /// Fits class means and the shared, shrunk covariance of <paramref name="features"/> (N rows of D) with
    /// <paramref name="labels"/> in 0..<paramref name="classCount"/>−1. Every class needs at least one row.
    /// <paramref name="shrinkage"/> null estimates α with Ledoit and Wolf's formula (2004), which shrinks hard when
    /// there are few rows for many features and little when there are many.
    /// </summary>
    /// <exception cref="ArgumentException">Empty or ragged features, a label out of range, or a class without rows.</exception>
    public static MahalanobisParameters Fit(IReadOnlyList<float[]> features, IReadOnlyList<int> labels, int classCount, double? shrinkage = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        if (features.Count == 0) throw new ArgumentException("no features to fit class means to", nameof(features));
        if (features.Count != labels.Count) throw new ArgumentException($"{features.Count} feature rows but {labels.Count} labels", nameof(labels));
        if (shrinkage is < 0 or > 1 || (shrinkage is { } given && double.IsNaN(given))) throw new ArgumentOutOfRangeException(nameof(shrinkage), $"shrinkage must be in [0, 1], got {shrinkage}");
        var n = features.Count;
        var d = features[0].Length;
        var sums = new double[classCount * d];
        var counts = new int[classCount];
        for (var r = 0; r < n; r++)
        {
            if (features[r].Length != d) throw new ArgumentException($"feature row {r} has {features[r].Length} values, row 0 has {d}", nameof(features));
            var label = labels[r];
            if ((uint)label >= (uint)classCount) throw new ArgumentException($"label {label} of row {r} is outside 0..{classCount - 1}", nameof(labels));
            counts[label]++;
            for (var j = 0; j < d; j++) sums[label * d + j] += features[r][j];
        }
        for (var c = 0; c < classCount; c++)
            if (counts[c] == 0) throw new ArgumentException($"class {c} has no rows to estimate its mean from", nameof(labels));
        var means = new double[classCount * d];
        for (var c = 0; c < classCount; c++)
            for (var j = 0; j < d; j++) means[c * d + j] = sums[c * d + j] / counts[c];

        var centred = new double[(long)n * d];
        for (var r = 0; r < n; r++)
            for (var j = 0; j < d; j++) centred[(long)r * d + j] = features[r][j] - means[labels[r] * d + j];
        double[] covariance;
        using (var scope = Torch.NewDisposeScope())
        {
            // XᵀX through BLAS: the one O(N·D²) step.
            var x = Tensor.FromArray(centred, n, d);
            var s = x.T().MatMul(x) / n;
            covariance = s.Contiguous().ToArray<double>();
        }
        var meanVariance = 0.0;
        for (var j = 0; j < d; j++) meanVariance += covariance[j * d + j];
        meanVariance /= d;
        var alpha = shrinkage ?? LedoitWolf(centred, n, d, covariance, meanVariance);
        // A constant feature (e.g. a dead ReLU everywhere) would make the covariance singular; the floor keeps it invertible.
        var ridge = alpha * meanVariance + 1e-6 * Math.Max(meanVariance, 1e-12);
        for (var i = 0; i < covariance.Length; i++) covariance[i] *= 1 - alpha;
        for (var j = 0; j < d; j++) covariance[j * d + j] += ridge;

        var inverse = InvertCholeskyFactor(Cholesky(covariance, d), d);
        var packed = new float[(long)d * (d + 1) / 2];
        var o = 0;
        for (var i = 0; i < d; i++)
            for (var j = 0; j <= i; j++) packed[o++] = (float)inverse[i * d + j];
        var whitenedMeans = new float[classCount * d];
        for (var c = 0; c < classCount; c++)
            for (var i = 0; i < d; i++)
            {
                double s = 0;
                for (var j = 0; j <= i; j++) s += inverse[i * d + j] * means[c * d + j];
                whitenedMeans[c * d + i] = (float)s;
            }
        return new MahalanobisParameters(d, classCount, whitenedMeans, packed, alpha);
    }

    /// <summary>
    /// Ledoit–Wolf's shrinkage towards μ·I: β / δ with δ = ‖S − μI‖²_F and β = (Σ_k ‖x_k‖⁴ − N‖S‖²_F) / N² (the
    /// spread of the rank-one terms x_k·x_kᵀ around S), capped at 1.
    /// </summary>
    private static double LedoitWolf(double[] centred, int n, int d, double[] covariance, double mu)
    {
        double frobenius = 0, delta = 0;
        for (var i = 0; i < d; i++)
            for (var j = 0; j < d; j++)
            {
                var v = covariance[i * d + j];
                frobenius += v * v;
                var e = v - (i == j ? mu : 0);
                delta += e * e;
            }
        double fourth = 0;
        for (var r = 0; r < n; r++)
        {
            var row = centred.AsSpan(r * d, d);
            var squared = Dot(row, row);
            fourth += squared * squared;
        }
        var beta = Math.Max(0, (fourth - n * frobenius) / ((double)n * n));
        return delta <= 0 ? 1 : Math.Min(beta, delta) / delta;
    }

    /// <summary>Lower Cholesky factor L of a symmetric positive definite matrix (row-major D×D).</summary>
    private static double[] Cholesky(double[] a, int d)
    {
        var l = new double[a.Length];
        for (var j = 0; j < d; j++)
        {
            var rowJ = l.AsSpan(j * d, j);
            var diagonal = a[j * d + j] - Dot(rowJ, rowJ);
            if (!(diagonal > 0)) throw new InvalidOperationException($"the feature covariance is not positive definite at dimension {j}; raise the shrinkage");
            var pivot = Math.Sqrt(diagonal);
            l[j * d + j] = pivot;
            for (var i = j + 1; i < d; i++)
                l[i * d + j] = (a[i * d + j] - Dot(l.AsSpan(i * d, j), rowJ)) / pivot;
        }
        return l;
    }

    /// <summary>L⁻¹ of a lower triangular L by forward substitution, column by column.</summary>
    private static double[] InvertCholeskyFactor(double[] l, int d)
    {
        // Work on the transpose so that the inner loop runs over contiguous memory.
        var inverseT = new double[l.Length];
        var column = new double[d];
        for (var j = 0; j < d; j++)
        {
            Array.Clear(column);
            column[j] = 1 / l[j * d + j];
            for (var i = j + 1; i < d; i++)
                column[i] = -Dot(l.AsSpan(i * d + j, i - j), column.AsSpan(j, i - j)) / l[i * d + i];
            column.AsSpan(j).CopyTo(inverseT.AsSpan(j * d + j, d - j));
        }
        var inverse = new double[l.Length];
        for (var i = 0; i < d; i++)
            for (var j = 0; j <= i; j++) inverse[i * d + j] = inverseT[j * d + i];
        return inverse;
    }

    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var width = System.Numerics.Vector<double>.Count;
        var acc = System.Numerics.Vector<double>.Zero;
        var i = 0;
        for (; i <= a.Length - width; i += width)
            acc += new System.Numerics.Vector<double>(a.Slice(i, width)) * new System.Numerics.Vector<double>(b.Slice(i, width));
        var s = System.Numerics.Vector.Sum(acc);
        for (; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }
}
