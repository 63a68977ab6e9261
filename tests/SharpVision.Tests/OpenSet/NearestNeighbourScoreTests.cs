using SharpVision.Data;
using SharpVision.Evaluation;
using SharpVision.Models;

namespace SharpVision.Tests.OpenSet;

/// <summary>The nearest-neighbour ("deep k-NN") open-set score on cases whose answer is known exactly.</summary>
public class NearestNeighbourScoreTests
{
    private static readonly float Diagonal = MathF.Sqrt(0.5f);

    [Fact]
    public void DistanceIsOneMinusTheKthLargestCosineSimilarity()
    {
        // Bank: e1, e2 and their diagonal; all of length one already.
        var p = NearestNeighbourParameters.Fit([[1, 0, 0], [0, 1, 0], [Diagonal, Diagonal, 0]], k: 1);
        Assert.Equal(3, p.Items);
        Assert.Equal(0, p.Distance([1, 0, 0]), 3);
        Assert.Equal(0, p.Distance([7, 0, 0]), 3);                       // the length does not count, the direction does
        Assert.Equal(1, p.Distance([0, 0, 1]), 3);                       // orthogonal to everything
        Assert.Equal(1 + Math.Sqrt(0.5), p.Distance([-1, -1, 0]), 3);   // opposite to the diagonal; e1 and e2 are 135° away
        Assert.Equal(1, p.Distance([0, 0, 0]), 3);                       // no direction: far from every item
        var second = NearestNeighbourParameters.Fit([[1, 0, 0], [0, 1, 0], [Diagonal, Diagonal, 0]], k: 2);
        Assert.Equal(1 - Math.Sqrt(0.5), second.Distance([1, 0, 0]), 3); // e1 itself, then the diagonal
        var third = NearestNeighbourParameters.Fit([[2, 0, 0], [0, 3, 0], [1, 1, 0]], k: 3);
        Assert.Equal(1, third.Distance([1, 0, 0]), 3);                    // rows are normalised when the bank is built
    }

    [Fact]
    public void ABankLargerThanTheCapIsSampledWithKScaledAlikeAndTheSameSeedGivesTheSameBank()
    {
        var rng = new Random(4);
        var rows = Enumerable.Range(0, 100).Select(_ => new[] { (float)rng.NextDouble(), (float)rng.NextDouble(), 1f }).ToList();
        var p = NearestNeighbourParameters.Fit(rows, k: 20, maxItems: 10);
        Assert.Equal(10, p.Items);
        Assert.Equal(2, p.K);
        Assert.Equal(p.Bank, NearestNeighbourParameters.Fit(rows, k: 20, maxItems: 10).Bank);
        Assert.Equal(3, NearestNeighbourParameters.Fit(rows.Take(3).ToList(), k: 50).K); // k cannot exceed the bank
        // With labels, k is at most a tenth of the smallest class: 100 rows, 70 of class 0 and 30 of class 1 → 3.
        Assert.Equal(3, NearestNeighbourParameters.Fit(rows, k: 20, labels: rows.Select((_, i) => i < 70 ? 0 : 1).ToList()).K);
        Assert.Equal(1, NearestNeighbourParameters.Fit(rows, k: 20, labels: rows.Select((_, i) => i == 0 ? 1 : 0).ToList()).K);
    }

    [Fact]
    public void BadBanksAndFeaturesAreRefusedByName()
    {
        Assert.Contains("row 1", Assert.Throws<ArgumentException>(() => NearestNeighbourParameters.Fit([[1, 0], [1, 0, 0]])).Message);
        Assert.Contains("no features", Assert.Throws<ArgumentException>(() => NearestNeighbourParameters.Fit([])).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new NearestNeighbourParameters(2, 3, new Half[4]));
        var p = NearestNeighbourParameters.Fit([[1, 0]]);
        Assert.Contains("expected 2 features", Assert.Throws<ArgumentException>(() => p.Distance([1, 0, 0])).Message);
        Assert.Throws<ArgumentException>(() => new UnknownCalibrationOptions { Neighbours = 0 }.Validate());
    }

    /// <summary>
    /// Each class is two tight clusters on different axes; its mean lies between them, where no training item is.
    /// Unknown items sit exactly at the class means: the distance to the class mean calls them the most typical items
    /// of all, while their nearest training items are 45° away.
    /// </summary>
    private static LabelledOutputs TwoClustersPerClass(int perCluster, bool atMeans, int seed)
    {
        var rng = new Random(seed);
        float[][] centres = [[10, 0, 0, 0], [0, 10, 0, 0], [0, 0, 10, 0], [0, 0, 0, 10]];
        var logits = new List<float[]>();
        var features = new List<float[]>();
        var labels = new List<int>();
        for (var cluster = 0; cluster < 4; cluster++)
            for (var i = 0; i < perCluster; i++)
            {
                var c = cluster / 2;
                var centre = atMeans ? centres[2 * c].Zip(centres[2 * c + 1], (a, b) => (a + b) / 2).ToArray() : centres[cluster];
                features.Add(centre.Select(x => x + (float)(rng.NextDouble() - 0.5)).ToArray());
                logits.Add(c == 0 ? [6f, -6f] : [-6f, 6f]);
                labels.Add(c);
            }
        return new LabelledOutputs([.. logits], [.. features], [.. labels], labels.Select((_, i) => $"#{i}").ToArray());
    }

    [Fact]
    public void NeighboursRejectItemsAtTheClassMeansThatMahalanobisAccepts()
    {
        var train = TwoClustersPerClass(50, atMeans: false, seed: 1);
        var validation = TwoClustersPerClass(25, atMeans: false, seed: 2);
        var unknown = TwoClustersPerClass(10, atMeans: true, seed: 3);
        var detector = UnknownCalibrator.Calibrate(train, validation, 2, new UnknownCalibrationOptions { Neighbours = 5 });
        Assert.Equal(UnknownScoreKind.NearestNeighbour, detector.Kind); // the default when the model exposes features
        Assert.Equal(5, detector.NearestNeighbour!.K);
        var result = UnknownEvaluator.Evaluate(detector, validation, unknown);
        var knn = result.ChosenStats;
        Assert.Equal(1.0, knn.Auroc);
        Assert.Equal(0.0, knn.FalseAcceptRate);
        Assert.InRange(knn.CorrectAcceptance, 0.95, 0.97);
        Assert.True(result.Scores.Single(s => s.Kind == UnknownScoreKind.Mahalanobis).Auroc < 0.1);
        Assert.Equal(0.5, result.Scores.Single(s => s.Kind == UnknownScoreKind.Energy).Auroc, 12); // the same logits: no logit score sees them
    }

    [Fact]
    public void TheBankSurvivesTheModelFileAndScoresExactlyAsCalibrated()
    {
        var train = TwoClustersPerClass(50, atMeans: false, seed: 1);
        var validation = TwoClustersPerClass(25, atMeans: false, seed: 2);
        var detector = UnknownCalibrator.Calibrate(train, validation, 2, new UnknownCalibrationOptions { Neighbours = 7 });
        var descriptor = new ModelDescriptor
        {
            Architecture = "lenet5", Options = new ModelOptions(), ClassNames = ["a", "b"], InputHeight = 8, InputWidth = 8, Normalization = Normalization.Unit,
            Unknown = detector,
        };
        var parsed = ModelFile.ParseMetadata(ModelFile.ToMetadata(descriptor), "test.safetensors").Unknown!;
        Assert.Equal(UnknownScoreKind.NearestNeighbour, parsed.Kind);
        Assert.Equal(7, parsed.NearestNeighbour!.K);
        Assert.Equal(detector.NearestNeighbour!.Bank, parsed.NearestNeighbour.Bank);
        foreach (var i in new[] { 0, 30, 99 })
            Assert.Equal(detector.Score(validation.Logits[i], validation.Features![i]), parsed.Score(validation.Logits[i], validation.Features[i]));
        var unknown = TwoClustersPerClass(1, atMeans: true, seed: 3);
        Assert.False(parsed.IsKnown(parsed.Score(unknown.Logits[0], unknown.Features![0])));

        var broken = ModelFile.ToMetadata(descriptor);
        broken[UnknownDetector.MetadataKey] = broken[UnknownDetector.MetadataKey].Replace("\"knn_k\":7", "\"knn_k\":100000", StringComparison.Ordinal);
        Assert.Contains("k must be in 1..200", Assert.Throws<InvalidDataException>(() => ModelFile.ParseMetadata(broken, "m.safetensors")).Message);
    }
}
