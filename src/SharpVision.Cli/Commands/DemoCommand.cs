using System.CommandLine;
using System.Diagnostics;
using SharpVision.Data;
using SharpVision.Evaluation;
using SharpVision.Imaging;
using SharpVision.Inference;
using SharpVision.Reports;
using SharpVision.Training;
using SharpVision.Training.Optimizers;
using SharpVision.Training.Schedules;

namespace SharpVision.Cli.Commands;

/// <summary>
/// <c>sharpvision demo</c>: the main job on data every Debian machine can install offline — trains a small CNN on
/// Fashion-MNIST, evaluates it on the 10,000 test images (with an HTML report), saves the model, and predicts a few
/// test images written out as PNG files.
/// </summary>
public static class DemoCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var epochs = new Option<int>("--epochs") { Description = "Training epochs", DefaultValueFactory = _ => 5 };
        var output = new Option<string>("--out") { Description = "Run folder", DefaultValueFactory = _ => Path.Combine("runs", "demo") };
        var data = new Option<string>("--data") { Description = "Fashion-MNIST folder (Debian package dataset-fashion-mnist)", DefaultValueFactory = _ => IdxDataset.DebianFashionMnistFolder };
        var limit = new Option<int?>("--limit") { Description = "Train on at most this many images (quicker, less accurate)" };
        var resume = new Option<bool>("--resume") { Description = "Continue an interrupted demo run" };
        var device = DeviceOption.Create();
        var cmd = new Command("demo", "Train, evaluate and predict on Fashion-MNIST (offline): the README's main job.");
        foreach (var o in new Option[] { epochs, output, data, limit, resume, device }) cmd.Options.Add(o);
        cmd.SetAction(parse => CliErrors.Run(() => Run(parse.GetValue(data)!, parse.GetValue(output)!, parse.GetValue(epochs), parse.GetValue(limit), parse.GetValue(resume),
            DeviceOption.Parse(parse.GetValue(device)!))));
        return cmd;
    }

    private static int Run(string dataFolder, string runDir, int epochs, int? limit, bool resume, Engine.Device device)
    {
        if (!Directory.Exists(dataFolder))
            throw new DirectoryNotFoundException($"Fashion-MNIST not found at {dataFolder}: install Debian's dataset-fashion-mnist (./run demo does) or pass --data");
        var clock = Stopwatch.StartNew();
        Console.WriteLine("SharpVision demo: a small CNN on Fashion-MNIST (60,000 training and 10,000 test images, 28×28 grayscale)\n");

        // 1. Train (10% of the training images held out for validation, stratified and seeded).
        var result = TrainingRun.Run(new TrainingRunOptions
        {
            DataPath = dataFolder,
            Format = DatasetFormat.Idx,
            Model = "fashion-cnn",
            Epochs = epochs,
            BatchSize = 64,
            Optimizer = OptimizerKind.Adam,
            LearningRate = 3e-3,
            Schedule = new OneCycleSchedule(pctStart: 0.25),
            ValidationSplit = 0.1,
            OutputDirectory = runDir,
            Resume = resume,
            Limit = limit,
            CacheImages = true,
            Device = device,
            CommandLine = "sharpvision demo",
        });
        var trainSeconds = clock.Elapsed.TotalSeconds;

        // 2. Evaluate on the official test split.
        Console.WriteLine("\nEvaluating on the 10,000 test images …");
        var test = DatasetOpener.Open(dataFolder, DatasetFormat.Idx, "test");
        using var classifier = ImageClassifier.Load(result.BestModelPath, device);
        var evaluation = ModelEvaluator.Evaluate(classifier, test, dataName: "Fashion-MNIST test");
        var r = evaluation.Result;
        Console.WriteLine($"Test accuracy {r.Accuracy:P2}, top-{r.TopK} {r.TopKAccuracy:P2}, loss {r.Loss:0.0000}");
        foreach (var c in r.Classes) Console.WriteLine($"  {c.Name,-12} {c.Accuracy,8:P1}  ({c.Support} images)");
        var history = History.FromCsv(File.ReadAllText(Path.Combine(runDir, "history.csv")));
        var report = EvaluationReport.Write(Path.Combine(runDir, "report"), r, new EvaluationReportOptions
        {
            Title = "SharpVision demo: fashion-cnn on the Fashion-MNIST test set",
            History = history.AllSeries().ToDictionary(kv => kv.Key, kv => (IReadOnlyList<double>)kv.Value),
            LoadImage = i => test.Load(evaluation.DatasetIndices[i]),
        });

        // 3. Predict a few test images, written out as PNG files like a user's photos.
        var samples = Path.Combine(runDir, "samples");
        Directory.CreateDirectory(samples);
        var files = new List<(string Path, string Truth)>();
        foreach (var i in new[] { 0, 1, 2, 3, 4, 5, 6, 7 })
        {
            var path = Path.Combine(samples, $"test-{i:0000}-{Safe(test.ClassNames[test.Label(i)])}.png");
            PngEncoder.Save(test.Load(i), path);
            files.Add((path, test.ClassNames[test.Label(i)]));
        }
        Console.WriteLine("\nPredictions (sharpvision predict --model " + result.BestModelPath + " IMAGE):");
        var predictions = classifier.Predict(files.Select(f => ImageDecoder.DecodeFile(f.Path)).ToList(), 3);
        for (var i = 0; i < files.Count; i++)
        {
            var p = predictions[i];
            var mark = p[0].ClassName == files[i].Truth ? "✓" : "✗";
            Console.WriteLine($"  {mark} {Path.GetFileName(files[i].Path),-28} → {p[0].ClassName} ({p[0].Probability:0.000}); then {p[1].ClassName} ({p[1].Probability:0.000})");
        }

        Console.WriteLine($"\nDone in {clock.Elapsed.TotalSeconds:0}s (training {trainSeconds:0}s). Everything is in {Path.GetFullPath(runDir)}:");
        Console.WriteLine($"  model          {result.BestModelPath}");
        Console.WriteLine($"  history        {Path.Combine(runDir, "history.csv")}");
        Console.WriteLine($"  curves         {Path.Combine(runDir, "curves.png")}");
        Console.WriteLine($"  report         {report.HtmlPath}");
        Console.WriteLine($"  sample images  {samples}");
        Console.WriteLine($"  TensorBoard    tensorboard --logdir {runDir}");
        return 0;
    }

    private static string Safe(string name) => new(name.Select(ch => char.IsLetterOrDigit(ch) ? ch : '_').ToArray());
}
