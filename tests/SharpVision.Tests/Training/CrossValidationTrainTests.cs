using SharpVision.Evaluation;
using SharpVision.Tests.Support;
using SharpVision.Tests.Transfer;
using SharpVision.Training;

namespace SharpVision.Tests.Training;

[Collection("Serial")]
public class CrossValidationTrainTests
{
    [Fact]
    public void TrainHoldsOutTheFold_EvaluateScoresTheSameImages_AndResumeRefusesAnotherFold()
    {
        using var tmp = new TempDirectory();
        var data = TransferFixtures.WriteImageFolder(tmp.File("data"), classes: 3, perClass: 12, seed: 4);
        var run = tmp.File("f1");
        string[] Train(string fold, int epochs, params string[] more) => new[] { "train", "--data", data, "--model", "fashion-cnn", "--input", "16", "--val-fold", fold,
            "--epochs", epochs.ToString(System.Globalization.CultureInfo.InvariantCulture), "--batch", "8", "--threads", "1", "--seed", "3", "--out", run, "--no-progress" }.Concat(more).ToArray();

        using (var train = CliProcess.Start(Train("1/4", 1)))
        {
            Assert.True(train.WaitForExit(TimeSpan.FromSeconds(120)), "train timed out: " + train.Output);
            Assert.True(train.ExitCode == 0, train.Output);
            Assert.Contains("27 training images, 9 validation images (stratified fold 1/4, seed 3)", train.Stdout);
        }
        var validated = History.FromCsv(File.ReadAllText(Path.Combine(run, "history.csv"))).Series("val_accuracy")[^1];

        // evaluate --val-fold 1/4 --split-seed 3 scores exactly the images training validated on.
        var (code, output, err) = ConsoleCapture.Run("evaluate", "--model", Path.Combine(run, "model.safetensors"), "--data", data,
            "--val-fold", "1/4", "--split-seed", "3", "--json");
        Assert.True(code == 0, err);
        var doc = MetricsJson.Deserialize(output[output.IndexOf('{')..]);
        Assert.Equal(9, doc.Evaluation.Count);
        Assert.Equal(validated, doc.Evaluation.Accuracy, 6);

        // The fold is part of the run's identity: resuming it on another fold is refused.
        using var other = CliProcess.Start(Train("2/4", 2, "--resume"));
        Assert.True(other.WaitForExit(TimeSpan.FromSeconds(120)), "train timed out: " + other.Output);
        Assert.NotEqual(0, other.ExitCode);
        Assert.Contains("fold=1/4", other.Output);
    }
}
