using SharpVision.Evaluation;

namespace SharpVision.Tests.Evaluation;

public class ModelEnsembleTests
{
    private static ModelEvaluation Evaluation(string[] classes, int[] labels, float[][] probabilities, int[]? indices = null)
    {
        var input = new EvaluationInput { ClassNames = classes, Labels = labels, Probabilities = probabilities };
        return new ModelEvaluation
        {
            Input = input,
            Result = ClassificationMetrics.Compute(input),
            DatasetIndices = indices ?? Enumerable.Range(0, labels.Length).ToArray(),
        };
    }

    [Fact]
    public void AveragesProbabilitiesAndMatchesClassesByName()
    {
        // Model A is right on images 0 and 1, model B (classes listed in another order) on 1 and 2; their mean on all three.
        var a = Evaluation(["cat", "dog"], [0, 1, 0], [[0.9f, 0.1f], [0.2f, 0.8f], [0.4f, 0.6f]]);
        var b = Evaluation(["dog", "cat"], [1, 0, 1], [[0.7f, 0.3f], [0.9f, 0.1f], [0.1f, 0.9f]]);

        var mean = ModelEnsemble.Average([a, b]);
        Assert.Equal(["cat", "dog"], mean.ClassNames);
        Assert.Equal([0, 1, 0], mean.Labels);
        float[][] expected = [[0.6f, 0.4f], [0.15f, 0.85f], [0.65f, 0.35f]];
        for (var i = 0; i < 3; i++)
            for (var c = 0; c < 2; c++) Assert.Equal(expected[i][c], mean.Probabilities[i][c], 1e-6f);
        Assert.Equal(2.0 / 3, a.Result.Accuracy, 10);
        Assert.Equal(1.0, ModelEnsemble.Evaluate([a, b]).Accuracy, 10);
    }

    [Fact]
    public void RefusesDifferentClassesImagesOrASingleModel()
    {
        var a = Evaluation(["cat", "dog"], [0, 1], [[0.9f, 0.1f], [0.2f, 0.8f]]);
        var fox = Evaluation(["cat", "fox"], [0, 1], [[0.9f, 0.1f], [0.2f, 0.8f]]);
        var other = Evaluation(["cat", "dog"], [0, 1], [[0.9f, 0.1f], [0.2f, 0.8f]], indices: [0, 2]);

        Assert.Contains("same classes", Assert.Throws<ArgumentException>(() => ModelEnsemble.Average([a, fox])).Message);
        Assert.Contains("same images", Assert.Throws<ArgumentException>(() => ModelEnsemble.Average([a, other])).Message);
        Assert.Contains("at least two", Assert.Throws<ArgumentException>(() => ModelEnsemble.Average([a])).Message);
    }
}
