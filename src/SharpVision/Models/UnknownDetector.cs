using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SharpVision.Models;

/// <summary>
/// Open-set rejection calibrated for one model: a score that grows for images of none of the classes, and the
/// threshold above which a prediction is called "unknown". Saved in the model file's metadata ("unknown"), so that
/// predict, evaluate and serve reject exactly as calibrated.
/// </summary>
public sealed record UnknownDetector
{
    /// <summary>The metadata key in a model file.</summary>
    public const string MetadataKey = "unknown";

    /// <summary>The score used to accept or reject.</summary>
    public required UnknownScoreKind Kind { get; init; }

    /// <summary>An image whose score is above this is "unknown"; at or below, the top class stands.</summary>
    public required double Threshold { get; init; }

    /// <summary>The share of correctly classified validation items the threshold was chosen to keep (e.g. 0.95).</summary>
    public double TargetAcceptance { get; init; } = 0.95;

    /// <summary>Each available score's threshold at the same target (for comparing scores in evaluate).</summary>
    public IReadOnlyDictionary<UnknownScoreKind, double> Thresholds { get; init; } = new Dictionary<UnknownScoreKind, double>();

    /// <summary>Class means and the shared covariance of the features; null when the model exposes no features.</summary>
    public MahalanobisParameters? Mahalanobis { get; init; }

    /// <summary>The bank of normalised training features for the nearest-neighbour score; null when the model exposes no features.</summary>
    public NearestNeighbourParameters? NearestNeighbour { get; init; }

    /// <summary>Facts about the calibration (data, split, sizes, date), shown by reports.</summary>
    public IReadOnlyDictionary<string, string> Facts { get; init; } = new Dictionary<string, string>();

    /// <summary>The score of <see cref="Kind"/> for one image.</summary>
    public double Score(ReadOnlySpan<float> logits, ReadOnlySpan<float> features) => Score(Kind, logits, features);

    /// <summary>Whether the image with <paramref name="score"/> is accepted as one of the classes.</summary>
    public bool IsKnown(double score) => score <= Threshold;

    /// <summary>Whether <paramref name="kind"/> can be computed with these parameters.</summary>
    public bool Supports(UnknownScoreKind kind) => kind switch
    {
        UnknownScoreKind.Mahalanobis => Mahalanobis is not null,
        UnknownScoreKind.NearestNeighbour => NearestNeighbour is not null,
        _ => true,
    };

    /// <summary>The score of <paramref name="kind"/>: higher means less like any class.</summary>
    /// <exception cref="InvalidOperationException">A feature score without fitted parameters.</exception>
    public double Score(UnknownScoreKind kind, ReadOnlySpan<float> logits, ReadOnlySpan<float> features) => kind switch
    {
        UnknownScoreKind.MaxSoftmax => MaxSoftmaxScore(logits),
        UnknownScoreKind.Energy => EnergyScore(logits),
        UnknownScoreKind.Mahalanobis => (Mahalanobis ?? throw new InvalidOperationException("this detector has no Mahalanobis parameters (the model exposes no features)"))
            .NearestDistance(features),
        UnknownScoreKind.NearestNeighbour => (NearestNeighbour ?? throw new InvalidOperationException("this detector has no neighbour bank (the model exposes no features)"))
            .Distance(features),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown score kind"),
    };

    /// <summary>Minus the largest softmax probability of <paramref name="logits"/> (one logit: a sigmoid output).</summary>
    public static double MaxSoftmaxScore(ReadOnlySpan<float> logits)
    {
        if (logits.Length == 1) return -Math.Max(Sigmoid(logits[0]), 1 - Sigmoid(logits[0]));
        var max = Max(logits);
        double sum = 0;
        foreach (var z in logits) sum += Math.Exp(z - max);
        return -1 / sum;
    }

    /// <summary>The free energy −log Σ exp(logit) (one logit: of the pair [0, z]).</summary>
    public static double EnergyScore(ReadOnlySpan<float> logits)
    {
        if (logits.Length == 1) return -LogSumExp([0f, logits[0]]);
        return -LogSumExp(logits);
    }

    private static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    private static double Max(ReadOnlySpan<float> values)
    {
        if (values.Length == 0) throw new ArgumentException("no logits");
        double max = values[0];
        foreach (var v in values) max = Math.Max(max, v);
        return max;
    }

    private static double LogSumExp(ReadOnlySpan<float> logits)
    {
        var max = Max(logits);
        double sum = 0;
        foreach (var z in logits) sum += Math.Exp(z - max);
        return max + Math.Log(sum);
    }

    /// <summary>The JSON stored under <see cref="MetadataKey"/> (arrays as base64 little-endian float32).</summary>
    public string ToJson() => JsonSerializer.Serialize(new Stored
    {
        Method = UnknownScoreNames.Name(Kind),
        Threshold = Threshold,
        TargetAcceptance = TargetAcceptance,
        Thresholds = Thresholds.ToDictionary(kv => UnknownScoreNames.Name(kv.Key), kv => kv.Value),
        FeatureDim = Mahalanobis?.FeatureDim,
        ClassCount = Mahalanobis?.ClassCount,
        Shrinkage = Mahalanobis?.Shrinkage,
        Means = Mahalanobis is null ? null : Convert.ToBase64String(MemoryMarshal.AsBytes(Mahalanobis.WhitenedMeans.AsSpan())),
        Whitening = Mahalanobis is null ? null : Convert.ToBase64String(MemoryMarshal.AsBytes(Mahalanobis.Whitening.AsSpan())),
        NeighbourK = NearestNeighbour?.K,
        NeighbourDim = NearestNeighbour?.FeatureDim,
        NeighbourBank = NearestNeighbour is null ? null : Convert.ToBase64String(NearestNeighbour.BankBytes()),
        Facts = Facts.ToDictionary(kv => kv.Key, kv => kv.Value),
    });

    /// <summary>Parses <see cref="ToJson"/>'s output; <paramref name="source"/> names the file in errors.</summary>
    /// <exception cref="InvalidDataException">The JSON or one of its fields is broken (named).</exception>
    public static UnknownDetector FromJson(string json, string source)
    {
        try
        {
            var s = JsonSerializer.Deserialize<Stored>(json) ?? throw new FormatException("empty");
            if (!UnknownScoreNames.TryParse(s.Method, out var kind)) throw new FormatException($"unknown score method '{s.Method}'");
            var thresholds = new Dictionary<UnknownScoreKind, double>();
            foreach (var (name, value) in s.Thresholds ?? new())
                if (UnknownScoreNames.TryParse(name, out var k)) thresholds[k] = value;
            MahalanobisParameters? mahalanobis = null;
            if (s.Means is not null || s.Whitening is not null)
            {
                if (s.Means is null || s.Whitening is null || s.FeatureDim is not { } d || s.ClassCount is not { } c)
                    throw new FormatException("Mahalanobis parameters need means, whitening, feature_dim and classes");
                mahalanobis = new MahalanobisParameters(d, c, Floats(s.Means, "means"), Floats(s.Whitening, "whitening"), s.Shrinkage ?? 0);
            }
            NearestNeighbourParameters? neighbours = null;
            if (s.NeighbourBank is not null || s.NeighbourK is not null)
            {
                if (s.NeighbourBank is null || s.NeighbourK is not { } k || s.NeighbourDim is not { } nd)
                    throw new FormatException("nearest-neighbour parameters need knn_k, knn_dim and knn_bank");
                neighbours = new NearestNeighbourParameters(nd, k, NearestNeighbourParameters.BankFromBytes(Convert.FromBase64String(s.NeighbourBank)));
            }
            var detector = new UnknownDetector
            {
                Kind = kind,
                Threshold = s.Threshold,
                TargetAcceptance = s.TargetAcceptance,
                Thresholds = thresholds,
                Mahalanobis = mahalanobis,
                NearestNeighbour = neighbours,
                Facts = s.Facts ?? new(),
            };
            if (!detector.Supports(kind)) throw new FormatException($"the method is {s.Method} but its parameters are missing");
            return detector;
        }
        catch (Exception e) when (e is JsonException or FormatException or ArgumentException)
        {
            throw new InvalidDataException($"{source}: broken '{MetadataKey}' metadata ({e.Message})", e);
        }
    }

    private static float[] Floats(string base64, string field)
    {
        var bytes = Convert.FromBase64String(base64);
        if (bytes.Length % 4 != 0) throw new FormatException($"{field} is not a whole number of float32 values");
        return MemoryMarshal.Cast<byte, float>(bytes).ToArray();
    }

    /// <summary>A one-line summary, e.g. "mahalanobis, threshold 812.4 (keeps 95% of correct validation predictions)".</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{UnknownScoreNames.Name(Kind)}, threshold {Threshold:0.####} (keeps {TargetAcceptance:P0} of correct validation predictions)");

    private sealed class Stored
    {
        [JsonPropertyName("method")] public string? Method { get; set; }
        [JsonPropertyName("threshold")] public double Threshold { get; set; }
        [JsonPropertyName("target_acceptance")] public double TargetAcceptance { get; set; }
        [JsonPropertyName("thresholds")] public Dictionary<string, double>? Thresholds { get; set; }
        [JsonPropertyName("feature_dim")] public int? FeatureDim { get; set; }
        [JsonPropertyName("classes")] public int? ClassCount { get; set; }
        [JsonPropertyName("shrinkage")] public double? Shrinkage { get; set; }
        [JsonPropertyName("means")] public string? Means { get; set; }
        [JsonPropertyName("whitening")] public string? Whitening { get; set; }
        [JsonPropertyName("knn_k")] public int? NeighbourK { get; set; }
        [JsonPropertyName("knn_dim")] public int? NeighbourDim { get; set; }
        [JsonPropertyName("knn_bank")] public string? NeighbourBank { get; set; }
        [JsonPropertyName("facts")] public Dictionary<string, string>? Facts { get; set; }
    }
}
