using System.Globalization;
using SharpVision.Evaluation;
using SharpVision.Imaging;
using SharpVision.Inference;
using SharpVision.Tests.Explain;
using SharpVision.Tests.Support;

namespace SharpVision.Tests.Cli;

[Collection("console")]
public class EvaluateCommandTests(ColourDataFixture fx) : IClassFixture<ColourDataFixture>
{
    /// <summary>Accuracy of the model computed independently: decode every good file and classify it one by one.</summary>
    private double DirectAccuracy(string model)
    {
        using var classifier = ImageClassifier.Load(model);
        int correct = 0, total = 0;
        foreach (var cls in ColourSquares.Classes)
            foreach (var file in Directory.GetFiles(Path.Combine(fx.Data, cls)).Order(StringComparer.Ordinal))
            {
                if (file == fx.CorruptFile) continue;
                var probs = classifier.PredictProbabilities(new[] { ImageDecoder.DecodeFile(file) })[0];
                var predicted = Array.IndexOf(probs, probs.Max());
                if (classifier.ClassNames[predicted] == cls) correct++;
                total++;
            }
        Assert.Equal(24, total);
        return (double)correct / total;
    }

    private static MetricsDocument ParseJson(string stdout) => MetricsJson.Deserialize(stdout[stdout.IndexOf('{')..]);

    private static string Pct(double v) => (v * 100).ToString("F2", CultureInfo.InvariantCulture) + "%";

    [Fact]
    public void ModelsSharingAFileNameAreNamedByTheirFolderEveryOne()
    {
        var names = SharpVision.Cli.Commands.EvaluateCommand.DisplayNames(new[] { "runs/a/best.safetensors", "runs/b/best.safetensors", "runs/c/best.safetensors", "x/final.safetensors" });
        Assert.Equal(new[] { "a/best", "b/best", "c/best", "final" }, names);
    }

    [Fact]
    public void PrintsAccuracyPerClassTableAndSkippedFile()
    {
        var expected = DirectAccuracy(fx.GoodModel);
        Assert.True(expected >= 0.9, $"the fixture model should have learnt the colours, accuracy {expected}");

        var (code, output, err) = ConsoleCapture.Run("evaluate", "--model", fx.GoodModel, "--data", fx.Data);

        Assert.True(code == 0, err);
        Assert.Contains($"accuracy   {Pct(expected)}", output);
        Assert.Contains("top-3      100.00%", output); // --top 5 is clamped to the 3 classes
        Assert.Contains("24 images evaluated, 1 skipped", output);
        Assert.Matches(@"(?m)^red\s+8\s+", output);
        Assert.Contains("loss", output);
        Assert.Contains("broken.jpg", err); // the corrupt file is listed with its reason, not fatal
    }

    [Fact]
    public void JsonPrintsOnlyTheMetricsDocument()
    {
        var expected = DirectAccuracy(fx.GoodModel);
        var (code, output, err) = ConsoleCapture.Run("evaluate", "--model", fx.GoodModel, "--data", fx.Data, "--json", "--top", "2");

        Assert.True(code == 0, err);
        Assert.StartsWith("{", output.TrimStart());
        var doc = ParseJson(output);
        Assert.Equal(expected, doc.Evaluation.Accuracy, 10);
        Assert.Equal(24, doc.Evaluation.Count);
        Assert.Equal(2, doc.Evaluation.TopK);
        Assert.Equal(ColourSquares.Classes, doc.Evaluation.ClassNames);
        Assert.Null(doc.Tta);
        Assert.DoesNotContain("accuracy   ", output);
    }

    [Fact]
    public void ReportWritesHtmlMetricsFiguresThumbnailsAndLearningCurves()
    {
        using var dir = new TempDirectory();
        var report = Path.Combine(dir.Path, "report");
        var (code, _, err) = ConsoleCapture.Run("evaluate", "--model", fx.GoodModel, "--data", fx.Data, "--report", report, "--tta", "2");

        Assert.True(code == 0, err);
        foreach (var f in new[] { "report.html", "metrics.json", "confusion_matrix.png", "per_class_accuracy.png", "reliability.png",
                     "top_losses.png", "gallery_confident_correct.png", "tta_spread.png", "learning_curves.png" })
            Assert.True(File.Exists(Path.Combine(report, f)), $"{f} missing; have {string.Join(", ", Directory.GetFiles(report).Select(Path.GetFileName))}");
        var html = File.ReadAllText(Path.Combine(report, "report.html"));
        Assert.Contains("id=\"tta\"", html);
        Assert.Contains("id=\"learning-curves\"", html);
        Assert.Contains("lenet5", html);
        var metrics = MetricsJson.Load(Path.Combine(report, "metrics.json"));
        Assert.Equal(3, metrics.Tta!.Passes);
    }

    [Fact]
    public void TtaWithIdentityAugmentationEqualsPlainEvaluation()
    {
        var (code, output, err) = ConsoleCapture.Run("evaluate", "--model", fx.GoodModel, "--data", fx.Data, "--tta", "3", "--tta-augment", "none", "--json");

        Assert.True(code == 0, err);
        var doc = ParseJson(output);
        var tta = doc.Tta!;
        Assert.Equal(4, tta.Passes);
        Assert.Equal(doc.Evaluation.Accuracy, tta.Accuracy!.Value, 12);
        Assert.All(tta.PassAccuracies!, a => Assert.Equal(doc.Evaluation.Accuracy, a, 12));
        Assert.Equal(0, tta.MaxConfidenceStd, 6);
        Assert.Equal(1, tta.FullAgreementFraction);
    }

    [Fact]
    public void TtaWithAugmentationPrintsTheSpread()
    {
        var (code, output, err) = ConsoleCapture.Run("evaluate", "--model", fx.GoodModel, "--data", fx.Data, "--tta", "2", "--tta-augment", "flip=h,rotate=20", "--seed", "3");

        Assert.True(code == 0, err);
        Assert.Contains("Test-time augmentation: 2 augmented passes + the plain pass (flip=h,rotate=20, seed 3)", output);
        Assert.Contains("accuracy of the averaged prediction", output);
        Assert.Contains("confidence spread per image (std)", output);
    }

    [Fact]
    public void SeveralModelsAreComparedSideBySideWithClassesMatchedByName()
    {
        var (code, output, err) = ConsoleCapture.Run("evaluate", "--model", fx.GoodModel, "--model", fx.ReorderedModel, "--data", fx.Data, "--json");
        Assert.True(code == 0, err);
        var doc = ParseJson(output);
        var rows = doc.Comparison!.Rows;
        Assert.Equal(["model", "reordered"], rows.Select(r => r.Name));
        Assert.Equal(ColourSquares.Classes, doc.Comparison.ClassNames);
        Assert.Equal(DirectAccuracy(fx.GoodModel), rows[0].Accuracy, 10);
        Assert.Equal(DirectAccuracy(fx.ReorderedModel), rows[1].Accuracy, 10);

        var (code2, text, _) = ConsoleCapture.Run("evaluate", "--model", fx.GoodModel, "--model", fx.ReorderedModel, "--data", fx.Data);
        Assert.Equal(0, code2);
        Assert.Contains("Comparison on the same data:", text);
        Assert.Contains("| reordered |", text);
    }

    [Fact]
    public void EnsembleAveragesTheModelsProbabilities()
    {
        // The same model twice is its own ensemble; a model and a reordered one are averaged class by class.
        var (code, output, err) = ConsoleCapture.Run("evaluate", "--model", fx.GoodModel, "--model", fx.GoodModel, "--data", fx.Data, "--ensemble", "--json");
        Assert.True(code == 0, err);
        var doc = ParseJson(output);
        Assert.Equal(doc.Evaluation.Accuracy, doc.Ensemble!.Accuracy, 10);
        Assert.Equal(doc.Evaluation.Loss, doc.Ensemble.Loss, 5);

        var (code2, text, err2) = ConsoleCapture.Run("evaluate", "--model", fx.GoodModel, "--model", fx.ReorderedModel, "--data", fx.Data, "--ensemble");
        Assert.True(code2 == 0, err2);
        Assert.Contains("Ensemble of the 2 models", text);

        var (code3, _, err3) = ConsoleCapture.Run("evaluate", "--model", fx.GoodModel, "--data", fx.Data, "--ensemble");
        Assert.Equal(2, code3);
        Assert.Contains("--ensemble needs at least two", err3);
    }

    [Fact]
    public void InputRunsAGloballyPooledModelAtAnotherSizeAndRefusesAFixedSizeOne()
    {
        var pooled = fx.PathOf("mnv2-32.safetensors");
        var descriptor = ColourSquares.Descriptor() with
        {
            Architecture = "mobilenet_v2",
            Options = new SharpVision.Models.ModelOptions { NumClasses = 3, InputChannels = 3, InputHeight = 32, InputWidth = 32 },
            InputHeight = 32,
            InputWidth = 32,
        };
        SharpVision.Engine.Torch.ManualSeed(4);
        using (var model = SeededModels.Create("mobilenet_v2", descriptor.Options, 4))
            SharpVision.Models.ModelFile.Save(pooled, model, descriptor);

        using (var at48 = ImageClassifier.Load(pooled, 48, 48))
        {
            Assert.Equal((48, 48), (at48.Preprocessor.Height, at48.Preprocessor.Width));
            Assert.Equal(1f, at48.PredictProbabilities(new[] { ColourSquares.Make(0, 1) })[0].Sum(), 4);
        }
        // The trained size through --input is exactly the plain evaluation.
        var (c1, plain, _) = ConsoleCapture.Run("evaluate", "--model", pooled, "--data", fx.Data, "--json");
        var (c2, same, _) = ConsoleCapture.Run("evaluate", "--model", pooled, "--data", fx.Data, "--json", "--input", "32");
        Assert.Equal((0, 0), (c1, c2));
        Assert.Equal(ParseJson(plain).Evaluation.Loss, ParseJson(same).Evaluation.Loss);
        var (c3, text, err3) = ConsoleCapture.Run("evaluate", "--model", pooled, "--data", fx.Data, "--input", "48");
        Assert.True(c3 == 0, err3);
        Assert.Contains("input 3×48×48", text);

        // LeNet-5 flattens a fixed-size map into its dense layers: refused with the reason, exit 2.
        var (code, _, err) = ConsoleCapture.Run("evaluate", "--model", fx.GoodModel, "--data", fx.Data, "--input", "40");
        Assert.Equal(2, code);
        Assert.True(err.Contains("trained at 28×28 and cannot run at 40×40", StringComparison.Ordinal), err);
    }

    [Fact]
    public void CrossValidationFoldsAreEachScoredByTheirOwnModelAndPooled()
    {
        // Recipe A: the good model on fold 0, the weak one on fold 1; recipe B the other way round.
        using var dir = new TempDirectory();
        string Place(string recipe, int fold, string model)
        {
            var path = Path.Combine(dir.Path, recipe, $"f{fold}", "m.safetensors");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.Copy(model, path);
            return Path.Combine(dir.Path, recipe, "f{fold}", "m.safetensors");
        }
        var a = Place("A", 0, fx.GoodModel);
        Place("A", 1, fx.ReorderedModel);
        var b = Place("B", 0, fx.ReorderedModel);
        Place("B", 1, fx.GoodModel);
        var report = Path.Combine(dir.Path, "report");

        var (code, output, err) = ConsoleCapture.Run("evaluate", "--model", a, "--model", b, "--data", fx.Data, "--val-fold", "all/2", "--json", "--report", report);
        Assert.True(code == 0, err);
        var pooled = ParseJson(output).Comparison!.Rows;

        // Each fold on its own, both model files on it.
        MetricsDocument Fold(int k)
        {
            var (c, o, e) = ConsoleCapture.Run("evaluate", "--model", fx.GoodModel, "--model", fx.ReorderedModel, "--data", fx.Data, "--val-fold", $"{k}/2", "--json");
            Assert.True(c == 0, e);
            return ParseJson(o);
        }
        var (f0, f1) = (Fold(0), Fold(1));
        int n0 = f0.Evaluation.Count, n1 = f1.Evaluation.Count;
        Assert.Equal(24, n0 + n1); // the folds cover every readable image once
        Assert.Equal((f0.Comparison!.Rows[0].Accuracy * n0 + f1.Comparison!.Rows[1].Accuracy * n1) / 24, pooled[0].Accuracy, 10);
        Assert.Equal((f0.Comparison.Rows[1].Accuracy * n0 + f1.Comparison.Rows[0].Accuracy * n1) / 24, pooled[1].Accuracy, 10);
        // B against A: fold 0 is weak-vs-good, fold 1 good-vs-weak, so fold 1's counts swap sides.
        Assert.Equal(f0.Comparison.Rows[1].VersusFirst!.OnlyThisRight + f1.Comparison.Rows[1].VersusFirst!.OnlyFirstRight, pooled[1].VersusFirst!.OnlyThisRight);
        Assert.Equal(f0.Comparison.Rows[1].VersusFirst!.OnlyFirstRight + f1.Comparison.Rows[1].VersusFirst!.OnlyThisRight, pooled[1].VersusFirst!.OnlyFirstRight);
        Assert.True(File.Exists(Path.Combine(report, "report.html")));
        var html = File.ReadAllText(Path.Combine(report, "report.html"));
        Assert.Contains("folds 0,1 of 2", html);
        Assert.Contains("f{fold}", html); // the model is named as given, every fold's file

        // Several folds need {fold} in every model path; {fold} needs folds.
        var (c1, _, e1) = ConsoleCapture.Run("evaluate", "--model", fx.GoodModel, "--data", fx.Data, "--val-fold", "0,1/2");
        Assert.Equal(2, c1);
        Assert.Contains("{fold}", e1);
        var (c2, _, e2) = ConsoleCapture.Run("evaluate", "--model", a, "--data", fx.Data);
        Assert.Equal(2, c2);
        Assert.Contains("needs --val-fold", e2);
        var (c3, _, e3) = ConsoleCapture.Run("evaluate", "--model", a, "--data", fx.Data, "--val-fold", "2/2");
        Assert.Equal(2, c3);
        Assert.Contains("K must be below N", e3);
    }

    [Fact]
    public void MissingModelFileFails()
    {
        var (code, _, err) = ConsoleCapture.Run("evaluate", "--model", fx.PathOf("nope.safetensors"), "--data", fx.Data);
        Assert.NotEqual(0, code);
        Assert.Contains("model file not found", err);
        Assert.Contains("nope.safetensors", err);
    }

    [Fact]
    public void FileThatIsNotAModelFails()
    {
        var fake = fx.PathOf("fake.safetensors");
        File.Copy(Path.Combine(fx.Data, "red", "000.png"), fake, overwrite: true);
        var (code, _, err) = ConsoleCapture.Run("evaluate", "--model", fake, "--data", fx.Data);
        Assert.NotEqual(0, code);
        Assert.Contains("fake.safetensors", err);
        Assert.Contains("not a safetensors file", err);
    }

    [Fact]
    public void MissingDataFolderFails()
    {
        var (code, _, err) = ConsoleCapture.Run("evaluate", "--model", fx.GoodModel, "--data", fx.PathOf("no-such-data"));
        Assert.NotEqual(0, code);
        Assert.Contains("data folder not found", err);
    }

    [Fact]
    public void ClassMismatchFailsListingTheDifferences()
    {
        using var dir = new TempDirectory();
        ColourSquares.WriteFolder(dir.Path, perClass: 2, seed: 9);
        Directory.Move(Path.Combine(dir.Path, "green"), Path.Combine(dir.Path, "purple"));
        var (code, _, err) = ConsoleCapture.Run("evaluate", "--model", fx.GoodModel, "--data", dir.Path);
        Assert.NotEqual(0, code);
        Assert.Contains("only in the data: [purple]", err);
        Assert.Contains("only in the model: [green]", err);
    }

    [Fact]
    public void BadTtaSpecFailsNamingTheKey()
    {
        var (code, _, err) = ConsoleCapture.Run("evaluate", "--model", fx.GoodModel, "--data", fx.Data, "--tta", "2", "--tta-augment", "wobble=3");
        Assert.NotEqual(0, code);
        Assert.Contains("wobble", err);
    }
}
