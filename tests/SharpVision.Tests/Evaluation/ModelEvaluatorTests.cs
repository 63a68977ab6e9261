using SharpVision.Augmentation;
using SharpVision.Data;
using SharpVision.Engine;
using SharpVision.Evaluation;
using SharpVision.Imaging;
using SharpVision.Inference;
using SharpVision.Tests.Cli;
using SharpVision.Tests.Explain;

namespace SharpVision.Tests.Evaluation;

public class ModelEvaluatorTests(ColourDataFixture fx) : IClassFixture<ColourDataFixture>
{
    /// <summary>Coloured squares in memory; listed classes in the given order; indices in <paramref name="broken"/> fail to decode.</summary>
    private sealed class SquaresDataset(string[] classes, int perClass, ISet<int>? broken = null) : ImageDataset
    {
        public override int Count => classes.Length * perClass;
        public override IReadOnlyList<string> ClassNames => classes;
        public override SkippedFilesReport Skipped { get; } = new();
        public override int Label(int index) => index % classes.Length;
        public override string Name(int index) => $"square:{index}";

        public override RgbImage Load(int index)
        {
            if (broken?.Contains(index) == true) throw new InvalidImageException(Name(index), "truncated JPEG (test)");
            return ColourSquares.Make(Array.IndexOf(ColourSquares.Classes, classes[Label(index)]), 4242 + index);
        }
    }

    [Fact]
    public void MapsDataClassesToModelOutputsByName()
    {
        Assert.Equal([2, 0], ModelEvaluator.MapClasses(["blue", "green", "red"], ["red", "blue"]));
        var e = Assert.Throws<ClassMismatchException>(() => ModelEvaluator.MapClasses(["blue", "green", "red"], ["red", "pink", "cyan"], "m.safetensors", "data/"));
        Assert.Equal(["pink", "cyan"], e.OnlyInData);
        Assert.Equal(["blue", "green"], e.OnlyInModel);
        Assert.Contains("data/", e.Message);
        Assert.Contains("only in the data: [pink, cyan]", e.Message);
    }

    [Fact]
    public void ConvertsChannelsBetweenGreyAndRgb()
    {
        using var rgb = Tensor.FromArray(new byte[] { 255, 0, 0, 255, 0, 0 }, 1, 3, 1, 2);
        using var grey = ModelEvaluator.MatchChannels(rgb, 1);
        Assert.Equal([1L, 1, 1, 2], grey.Shape);
        Assert.Equal(new byte[] { 76, 150 }, grey.ToArray<byte>()); // BT.601: 0.299·255, 0.587·255
        using var back = ModelEvaluator.MatchChannels(grey, 3);
        Assert.Equal(new byte[] { 76, 150, 76, 150, 76, 150 }, back.ToArray<byte>());
        using var same = ModelEvaluator.MatchChannels(rgb, 3);
        Assert.Equal(rgb.ToArray<byte>(), same.ToArray<byte>());
    }

    [Fact]
    public void EvaluatesInModelClassOrderAndSkipsImagesThatFailToDecode()
    {
        using var classifier = ImageClassifier.Load(fx.GoodModel);
        var data = new SquaresDataset(["red", "blue", "green"], perClass: 5, broken: new HashSet<int> { 4 });
        var e = ModelEvaluator.Evaluate(classifier, data, new ModelEvaluatorOptions { BatchSize = 4, Workers = 2 });

        Assert.Equal(14, e.Result.Count);
        Assert.DoesNotContain(4, e.DatasetIndices);
        Assert.Equal(Enumerable.Range(0, 15).Where(i => i != 4), e.DatasetIndices);
        Assert.Equal(ColourSquares.Classes, e.Result.ClassNames);
        Assert.Equal("square:4", Assert.Single(e.Skipped).Path);
        // Labels are in the model's order: dataset label 0 (red) is model class 2.
        for (var i = 0; i < e.DatasetIndices.Length; i++)
            Assert.Equal(ColourSquares.Classes[e.Input.Labels[i]], data.ClassNames[data.Label(e.DatasetIndices[i])]);
        // The metrics match predictions made one image at a time.
        var direct = e.DatasetIndices.Count(i =>
        {
            var p = classifier.PredictProbabilities(new[] { data.Load(i) })[0];
            return classifier.ClassNames[Array.IndexOf(p, p.Max())] == data.ClassNames[data.Label(i)];
        });
        Assert.Equal((double)direct / 14, e.Result.Accuracy, 12);
        Assert.Empty(e.ClassesWithoutImages);
        Assert.Null(e.Tta);
    }

    [Fact]
    public void ModelClassesMissingFromTheDataGetNoSupport()
    {
        using var classifier = ImageClassifier.Load(fx.GoodModel);
        var e = ModelEvaluator.Evaluate(classifier, new SquaresDataset(["red", "blue"], perClass: 3));
        Assert.Equal(["green"], e.ClassesWithoutImages);
        Assert.Equal(0, e.Result.Classes[1].Support);
    }

    [Fact]
    public void IdentityTtaReproducesThePlainPassExactly()
    {
        using var classifier = ImageClassifier.Load(fx.GoodModel);
        var data = new SquaresDataset(ColourSquares.Classes, perClass: 4);
        var e = ModelEvaluator.Evaluate(classifier, data, new ModelEvaluatorOptions { TtaPasses = 2, TtaAugmentation = AugmentationSpec.None });

        Assert.NotNull(e.Tta);
        for (var i = 0; i < e.Result.Count; i++) Assert.Equal(e.Input.Probabilities[i], e.Tta!.MeanProbabilities[i]);
        Assert.Equal(e.Result.Accuracy, e.TtaResult!.Accuracy);
        Assert.Equal(e.Result.Loss, e.TtaResult.Loss, 6);
        Assert.All(e.Tta!.ConfidenceStd, s => Assert.Equal(0, s, 6));
    }

    [Fact]
    public void AugmentedTtaIsSeededAndChangesThePredictions()
    {
        using var classifier = ImageClassifier.Load(fx.GoodModel);
        var data = new SquaresDataset(ColourSquares.Classes, perClass: 4);
        var options = new ModelEvaluatorOptions { TtaPasses = 3, TtaAugmentation = AugmentationSpec.Parse("rotate=30,zoom=0.2,brightness=0.3"), Seed = 11 };
        var a = ModelEvaluator.Evaluate(classifier, data, options);
        var b = ModelEvaluator.Evaluate(classifier, data, options);
        var c = ModelEvaluator.Evaluate(classifier, data, options with { Seed = 12 });

        Assert.Equal(4, a.Tta!.Summary.Passes);
        Assert.Equal(a.Tta.ConfidenceStd, b.Tta!.ConfidenceStd);
        Assert.True(a.Tta.Summary.MeanConfidenceStd > 0);
        Assert.NotEqual(a.Tta.ConfidenceStd, c.Tta!.ConfidenceStd);
        Assert.Equal(a.Tta.Summary.Accuracy, a.TtaResult!.Accuracy);
    }

    [Fact]
    public void MixingAugmentationIsRejectedForTta()
    {
        var options = new ModelEvaluatorOptions { TtaPasses = 1, TtaAugmentation = AugmentationSpec.Parse("mixup=0.2") };
        var e = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Contains("mixup", e.Message);
    }

    [Fact]
    public void NoDecodableImageIsAClearError()
    {
        using var classifier = ImageClassifier.Load(fx.GoodModel);
        var data = new SquaresDataset(ColourSquares.Classes, perClass: 1, broken: new HashSet<int> { 0, 1, 2 });
        var e = Assert.Throws<InvalidDataException>(() => ModelEvaluator.Evaluate(classifier, data, dataName: "squares"));
        Assert.Contains("squares: no image could be evaluated", e.Message);
    }
}
