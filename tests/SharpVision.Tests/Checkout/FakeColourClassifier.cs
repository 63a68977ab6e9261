using System.Collections.Concurrent;
using SharpVision.Checkout;

namespace SharpVision.Tests.Checkout;

/// <summary>
/// A stand-in for the real model: decodes the PNGs the tests make and picks the class whose reference colour is nearest
/// the image's mean colour (softmax over negative squared distances). Records every batch so tests can check batching.
/// </summary>
internal sealed class FakeColourClassifier : IImageClassifier
{
    private static readonly (string Class, (double R, double G, double B) Colour)[] References =
    [
        ("cheesecake", (240, 220, 170)),
        ("donuts", (150, 90, 40)),
        ("ice_cream", (250, 200, 220)),
        ("macarons", (120, 200, 140)),
        ("pancakes", (210, 150, 60)),
    ];

    public FakeColourClassifier(IReadOnlyList<string>? classes = null)
    {
        Info = new ClassifierInfo("fake-colour", classes ?? References.Select(r => r.Class).ToList(), 64, 64,
            new Dictionary<string, double> { ["accuracy"] = 0.9 });
    }

    public ClassifierInfo Info { get; }

    /// <summary>Sizes of every batch, warm-up included, in call order.</summary>
    public ConcurrentQueue<int> BatchSizes { get; } = new();

    /// <summary>Names of every image seen.</summary>
    public ConcurrentQueue<string> Seen { get; } = new();

    /// <summary>When set, the next batch throws this (a broken model), then it is cleared.</summary>
    public Exception? ThrowNext { get; set; }

    public IReadOnlyList<ClassificationOutcome> ClassifyBatch(IReadOnlyList<EncodedImage> images, int topK)
    {
        BatchSizes.Enqueue(images.Count);
        if (ThrowNext is { } e) { ThrowNext = null; throw e; }
        return images.Select(img =>
        {
            Seen.Enqueue(img.Name);
            try
            {
                var (r, g, b) = TestImages.MeanColour(img.Data);
                // Temperature chosen so an exact reference colour is ~97% and a colour midway between two is ~50/50.
                var logits = References.Select(x => -((r - x.Colour.R) * (r - x.Colour.R) + (g - x.Colour.G) * (g - x.Colour.G) + (b - x.Colour.B) * (b - x.Colour.B)) / 800.0).ToArray();
                var max = logits.Max();
                var exp = logits.Select(l => Math.Exp(l - max)).ToArray();
                var sum = exp.Sum();
                var top = References.Select((x, i) => new ClassProbability(x.Class, (float)(exp[i] / sum)))
                    .OrderByDescending(p => p.Probability).Take(topK).ToList();
                return ClassificationOutcome.Success(top);
            }
            catch (InvalidDataException ex)
            {
                return ClassificationOutcome.Failure(ex.Message);
            }
        }).ToList();
    }
}
