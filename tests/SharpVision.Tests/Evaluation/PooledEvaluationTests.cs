using SharpVision.Evaluation;

namespace SharpVision.Tests.Evaluation;

public class PooledEvaluationTests
{
    private static ModelEvaluation Part(string[] classes, int[] labels, float[][] probabilities, int[] indices, float[][][]? passes = null)
    {
        var input = new EvaluationInput { ClassNames = classes, Labels = labels, Probabilities = probabilities, ItemNames = indices.Select(i => $"img{i}").ToArray() };
        return new ModelEvaluation
        {
            Input = input,
            Result = ClassificationMetrics.Compute(input),
            DatasetIndices = indices,
            TtaPasses = passes,
            Tta = passes is null ? null : TtaAggregation.Combine(passes, labels),
        };
    }

    [Fact]
    public void PoolsFoldsImageByImage_InTheFirstPartsClassOrder()
    {
        // Fold 0 (2 images, right on 1); fold 1 lists its classes the other way round (3 images, right on all 3).
        var f0 = Part(["cat", "dog"], [0, 1], [[0.9f, 0.1f], [0.6f, 0.4f]], [0, 1]);
        var f1 = Part(["dog", "cat"], [1, 0, 0], [[0.2f, 0.8f], [0.7f, 0.3f], [0.9f, 0.1f]], [2, 0, 1]);

        var pooled = PooledEvaluation.Combine([f0, f1], [2, 3]);

        Assert.Equal(["cat", "dog"], pooled.Input.ClassNames);
        Assert.Equal([0, 1, 0, 1, 1], pooled.Input.Labels);
        Assert.Equal([0.8f, 0.2f], pooled.Input.Probabilities[2]);
        Assert.Equal(4.0 / 5, pooled.Result.Accuracy, 10);
        Assert.Equal(5, pooled.Result.Count);
        Assert.Equal([0, 1, 4, 2, 3], pooled.DatasetIndices); // fold 1's images come after fold 0's 2
        Assert.Equal(["img0", "img1", "img2", "img0", "img1"], pooled.Input.ItemNames);
        Assert.Null(pooled.Tta);
    }

    [Fact]
    public void PoolsTtaPasses_AsOneTtaOverAllImages()
    {
        float[][][] p0 = [[[0.9f, 0.1f]], [[0.3f, 0.7f]]];
        float[][][] p1 = [[[0.2f, 0.8f], [0.6f, 0.4f]], [[0.4f, 0.6f], [0.8f, 0.2f]]];
        var f0 = Part(["a", "b"], [0], p0[0], [0], p0);
        var f1 = Part(["a", "b"], [1, 0], p1[0], [0, 1], p1);

        var pooled = PooledEvaluation.Combine([f0, f1], [1, 2]);

        var expected = TtaAggregation.Combine([[p0[0][0], p1[0][0], p1[0][1]], [p0[1][0], p1[1][0], p1[1][1]]], [0, 1, 0]);
        Assert.Equal(expected.Predicted, pooled.Tta!.Predicted);
        Assert.Equal(expected.Summary.Accuracy, pooled.Tta.Summary.Accuracy);
        Assert.Equal(expected.Summary.MeanConfidenceStd, pooled.Tta.Summary.MeanConfidenceStd, 12);
        Assert.Equal(1.0, pooled.TtaResult!.Accuracy, 10); // means (0.6,0.4), (0.3,0.7), (0.7,0.3): all right
    }

    [Fact]
    public void RefusesPartsThatCannotBePooled()
    {
        var plain = Part(["a", "b"], [0], [[0.9f, 0.1f]], [0]);
        var fox = Part(["a", "fox"], [0], [[0.9f, 0.1f]], [0]);
        var tta = Part(["a", "b"], [0], [[0.9f, 0.1f]], [0], [[[0.9f, 0.1f]], [[0.8f, 0.2f]]]);

        Assert.Contains("same classes", Assert.Throws<ArgumentException>(() => PooledEvaluation.Combine([plain, fox], [1, 1])).Message);
        Assert.Contains("TTA passes", Assert.Throws<ArgumentException>(() => PooledEvaluation.Combine([plain, tta], [1, 1])).Message);
        Assert.Contains("part sizes", Assert.Throws<ArgumentException>(() => PooledEvaluation.Combine([plain, plain], [1])).Message);
        Assert.Contains("refers to image 0", Assert.Throws<ArgumentException>(() => PooledEvaluation.Combine([plain], [0])).Message);
    }
}
