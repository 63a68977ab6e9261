using System.Numerics;
using System.Runtime.InteropServices;

namespace SharpVision.Models;

/// <summary>
/// The "deep nearest neighbours" open-set score (Sun et al., 2022): the training items' penultimate features,
/// L2-normalised, kept as a bank; an image's score is 1 − the cosine similarity of its normalised features to its
/// k-th nearest bank item. Unlike the distance to a class mean it assumes no shape of the class clusters.
/// The bank is held in float16 precision (as stored in model files), so that a loaded detector scores exactly as the
/// one that was calibrated.
/// </summary>
public sealed class NearestNeighbourParameters
{
    /// <summary>The default k: the best mean AUROC on non-food dev pictures over three food5 fine-tunes (docs/results.md).</summary>
    public const int DefaultK = 10;

    /// <summary>The default cap on bank items; larger training sets are sampled down to it (k scaled alike).</summary>
    public const int DefaultMaxBankItems = 4096;

    /// <summary>Creates the parameters from a bank of normalised features (N rows of <paramref name="featureDim"/>).</summary>
    /// <exception cref="ArgumentException">A ragged or empty bank, or k outside 1..N.</exception>
    public NearestNeighbourParameters(int featureDim, int k, Half[] bank)
    {
        ArgumentNullException.ThrowIfNull(bank);
        if (featureDim < 1) throw new ArgumentOutOfRangeException(nameof(featureDim), $"need at least one feature, got D={featureDim}");
        if (bank.Length == 0 || bank.Length % featureDim != 0)
            throw new ArgumentException($"the bank must hold whole rows of {featureDim} features, got {bank.Length} values", nameof(bank));
        var items = bank.Length / featureDim;
        if (k < 1 || k > items) throw new ArgumentOutOfRangeException(nameof(k), $"k must be in 1..{items} (the bank's items), got {k}");
        FeatureDim = featureDim;
        K = k;
        Bank = bank;
        rows = new float[bank.Length];
        for (var i = 0; i < bank.Length; i++) rows[i] = (float)bank[i];
    }

    private readonly float[] rows;

    /// <summary>Feature dimension D.</summary>
    public int FeatureDim { get; }

    /// <summary>Which neighbour's similarity counts (1 = the nearest).</summary>
    public int K { get; }

    /// <summary>Number of bank items N.</summary>
    public int Items => Bank.Length / FeatureDim;

    /// <summary>The L2-normalised training features, N rows of D, in float16.</summary>
    public Half[] Bank { get; }

    /// <summary>1 − cosine similarity of <paramref name="features"/> to its k-th nearest bank item, in [0, 2].</summary>
    /// <exception cref="ArgumentException">The feature count is not <see cref="FeatureDim"/>.</exception>
    public double Distance(ReadOnlySpan<float> features)
    {
        if (features.Length != FeatureDim) throw new ArgumentException($"expected {FeatureDim} features, got {features.Length}", nameof(features));
        var query = Normalised(features);
        var similarities = new float[Items];
        for (var i = 0; i < similarities.Length; i++) similarities[i] = Dot(query, rows.AsSpan(i * FeatureDim, FeatureDim));
        // The k-th largest similarity; sorting is cheap next to the N·D dot products above.
        Array.Sort(similarities);
        return 1 - (double)similarities[^K];
    }

    /// <summary>
    /// Builds the bank from <paramref name="features"/> (N rows of D). When N exceeds <paramref name="maxItems"/>, a
    /// seeded random sample of that many rows is kept and k is scaled by the same ratio (at least 1). With
    /// <paramref name="labels"/>, k is also capped at a tenth of the smallest class's bank items (at least 1): a known
    /// item's k-th neighbour must still lie in its own class, or every class looks alike from far away (a bank of 10
    /// items per class with k = 10 accepted random noise in our tests).
    /// </summary>
    /// <exception cref="ArgumentException">Empty or ragged features or labels, or k or the cap below 1.</exception>
    public static NearestNeighbourParameters Fit(IReadOnlyList<float[]> features, int k = DefaultK, int maxItems = DefaultMaxBankItems, int seed = 0,
        IReadOnlyList<int>? labels = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.Count == 0) throw new ArgumentException("no features to build the neighbour bank from", nameof(features));
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), $"k must be at least 1, got {k}");
        if (maxItems < 1) throw new ArgumentOutOfRangeException(nameof(maxItems), $"the bank cap must be at least 1, got {maxItems}");
        var d = features[0].Length;
        if (d == 0) throw new ArgumentException("features have no dimensions", nameof(features));
        var chosen = Enumerable.Range(0, features.Count).ToArray();
        var effectiveK = k;
        if (chosen.Length > maxItems)
        {
            new Random(seed).Shuffle(chosen);
            chosen = chosen[..maxItems];
            Array.Sort(chosen);
            effectiveK = Math.Max(1, (int)Math.Round(k * (double)maxItems / features.Count));
        }
        if (labels is not null)
        {
            if (labels.Count != features.Count) throw new ArgumentException($"{labels.Count} labels for {features.Count} feature rows", nameof(labels));
            var smallest = chosen.GroupBy(i => labels[i]).Min(g => g.Count());
            effectiveK = Math.Min(effectiveK, Math.Max(1, smallest / 10));
        }
        var bank = new Half[chosen.Length * d];
        for (var r = 0; r < chosen.Length; r++)
        {
            var row = features[chosen[r]];
            if (row.Length != d) throw new ArgumentException($"row {chosen[r]} has {row.Length} features, row 0 has {d}", nameof(features));
            var unit = Normalised(row);
            for (var j = 0; j < d; j++) bank[r * d + j] = (Half)unit[j];
        }
        return new NearestNeighbourParameters(d, Math.Min(effectiveK, chosen.Length), bank);
    }

    /// <summary>The bank as little-endian float16 bytes (for model files).</summary>
    public byte[] BankBytes() => MemoryMarshal.AsBytes(Bank.AsSpan()).ToArray();

    /// <summary>Reads a bank written by <see cref="BankBytes"/>.</summary>
    /// <exception cref="FormatException">Not a whole number of float16 values.</exception>
    public static Half[] BankFromBytes(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.Length % 2 != 0) throw new FormatException("the neighbour bank is not a whole number of float16 values");
        return MemoryMarshal.Cast<byte, Half>(bytes).ToArray();
    }

    private static float[] Normalised(ReadOnlySpan<float> features)
    {
        double sum = 0;
        foreach (var v in features) sum += (double)v * v;
        // An all-zero vector stays zero: similarity 0 to everything, i.e. far from every training item.
        var scale = sum > 0 ? (float)(1 / Math.Sqrt(sum)) : 0f;
        var result = new float[features.Length];
        for (var i = 0; i < result.Length; i++) result[i] = features[i] * scale;
        return result;
    }

    private static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var width = Vector<float>.Count;
        var acc = Vector<float>.Zero;
        var i = 0;
        for (; i <= a.Length - width; i += width) acc += new Vector<float>(a[i..]) * new Vector<float>(b[i..]);
        var sum = Vector.Sum(acc);
        for (; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }
}
