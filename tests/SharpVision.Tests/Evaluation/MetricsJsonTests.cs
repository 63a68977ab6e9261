using SharpVision.Evaluation;
using SharpVision.Tests.Support;

namespace SharpVision.Tests.Evaluation;

public class MetricsJsonTests
{
    private static EvaluationResult Sample()
    {
        var input = new EvaluationInput
        {
            ClassNames = ["cat", "dog", "bird"],
            Labels = [0, 1, 2, 2],
            Probabilities = [[0.7f, 0.2f, 0.1f], [0.3f, 0.6f, 0.1f], [0.5f, 0.1f, 0.4f], [0.1f, 0.1f, 0.8f]],
            ItemNames = ["a.jpg", "b.jpg", "c.jpg", "d.jpg"],
        };
        return ClassificationMetrics.Compute(input);
    }

    [Fact]
    public void RoundTripKeepsEveryNumber()
    {
        var result = Sample();
        var tta = TtaAggregation.Combine([[[0.7f, 0.3f]], [[0.5f, 0.5f]]], [0]);
        var doc = new MetricsDocument
        {
            Title = "t",
            Evaluation = result,
            Tta = tta.Summary,
            Comparison = ModelComparison.Create([("m1", result), ("m2", result)]),
        };
        var json = MetricsJson.Serialize(doc);
        var back = MetricsJson.Deserialize(json);
        Assert.Equal(json, MetricsJson.Serialize(back)); // nothing lost or renamed
        Assert.Equal(result.Accuracy, back.Evaluation.Accuracy);
        Assert.Equal(result.Confusion.Counts, back.Evaluation.Confusion.Counts);
        Assert.Equal(result.Calibration.ExpectedCalibrationError, back.Evaluation.Calibration.ExpectedCalibrationError);
        Assert.Equal(result.TopLosses[0].Name, back.Evaluation.TopLosses[0].Name);
        Assert.Equal(result.Confidence.Quadrants.Select(q => q.Indices), back.Evaluation.Confidence.Quadrants.Select(q => q.Indices));
        Assert.Equal(tta.Summary.MeanConfidenceStd, back.Tta!.MeanConfidenceStd);
        Assert.Equal(["m1", "m2"], back.Comparison!.Rows.Select(r => r.Name));
    }

    [Fact]
    public void PropertyNamesAreStableSnakeCase()
    {
        var json = MetricsJson.Serialize(new MetricsDocument { Evaluation = Sample() });
        foreach (var name in new[] { "\"schema_version\"", "\"top_k_accuracy\"", "\"macro_average\"", "\"expected_calibration_error\"",
                     "\"most_confused\"", "\"mean_confidence_correct\"", "\"least_confident_correct\"", "\"normalized\"" })
            Assert.Contains(name, json);
        Assert.DoesNotContain("\"tta\"", json); // nulls are omitted
        Assert.Contains("\n  ", json); // indented
    }

    [Fact]
    public void SaveAndLoadFile()
    {
        using var dir = new TempDirectory();
        var path = dir.File("metrics.json");
        MetricsJson.Save(new MetricsDocument { Evaluation = Sample() }, path);
        Assert.Equal(0.75, MetricsJson.Load(path).Evaluation.Accuracy);
        File.WriteAllText(path, "{ not json");
        Assert.Contains(path, Assert.Throws<InvalidDataException>(() => MetricsJson.Load(path)).Message);
        Assert.Throws<FileNotFoundException>(() => MetricsJson.Load(dir.File("missing.json")));
    }
}
