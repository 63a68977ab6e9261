using System.CommandLine;
using System.Runtime;
using SharpVision.Evaluation;
using SharpVision.Onnx;
using SharpVision.Training;

namespace SharpVision.Cli.Commands;

/// <summary><c>sharpvision train</c>: trains a zoo model on a folder of photos (or Food-101, IDX, CIFAR data).</summary>
public static class TrainCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var set = new TrainOptionSet();
        var cmd = new Command("train", "Train a model; writes the model files, history, curves and TensorBoard logs into the run folder.");
        set.AddTo(cmd);
        var noUnknown = new Option<bool>("--no-unknown") { Description = "Do not calibrate open-set rejection (\"unknown\") on the validation images at the end" };
        var unknownTarget = new Option<double>("--unknown-target") { Description = "Share of correctly classified validation images the \"unknown\" threshold keeps", DefaultValueFactory = _ => 0.95 };
        var unknownMethod = new Option<string>("--unknown-method")
        {
            Description = "The \"unknown\" score: auto | max-softmax | energy | mahalanobis | knn (auto: knn when the model exposes features, else energy)",
            DefaultValueFactory = _ => "auto",
        };
        cmd.Options.Add(noUnknown);
        cmd.Options.Add(unknownTarget);
        cmd.Options.Add(unknownMethod);
        cmd.SetAction(parse => CliErrors.Run(() =>
        {
            var options = set.Bind(parse);
            options = options with { Pretrained = ImportOnnxPretrained(options.Pretrained, options.Model, options.OutputDirectory) };
            var unknown = new UnknownCalibrationOptions
            {
                TargetAcceptance = parse.GetValue(unknownTarget), Method = UnknownMethodOption.Parse(parse.GetValue(unknownMethod)!, "--unknown-method"),
            };
            unknown.Validate();
            using var cts = new CancellationTokenSource();
            ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; cts.Cancel(); };
            Console.CancelKeyPress += onCancel;
            // A training process has no interactive latency to protect: no background GC thread competing with the
            // trainer's threads for cores (it matters most when every core runs a worker, as under `launch`).
            GCSettings.LatencyMode = GCLatencyMode.Batch;
            try
            {
                var result = TrainingRun.Run(options, Console.WriteLine, null, cts.Token);
                if (!result.IsPrimary) return 0; // rank 0 reports and calibrates; the other ranks wrote nothing
                Console.WriteLine();
                Console.WriteLine($"Best {options.Monitor}: {result.Best:0.0000} (epoch {result.BestEpoch})");
                Console.WriteLine($"Run folder: {result.RunDirectory}");
                Console.WriteLine($"  best model   {result.BestModelPath}");
                Console.WriteLine($"  final model  {result.FinalModelPath}");
                Console.WriteLine($"  history      {Path.Combine(result.RunDirectory, "history.csv")}, curves {Path.Combine(result.RunDirectory, "curves.png")}");
                Console.WriteLine($"  resume state {Path.Combine(result.RunDirectory, "last.checkpoint")}; TensorBoard: tensorboard --logdir {result.RunDirectory}");
                if (result.SkippedFiles > 0) Console.WriteLine($"  skipped      {result.SkippedFiles} unreadable file(s), listed in {Path.Combine(result.RunDirectory, "skipped.txt")}");
                if (!parse.GetValue(noUnknown)) UnknownCalibrator.CalibrateRun(result, unknown, Console.WriteLine);
                return 0;
            }
            finally
            {
                Console.CancelKeyPress -= onCancel;
            }
        }));
        return cmd;
    }

    /// <summary>
    /// --pretrained MODEL.onnx: maps its weights onto the architecture (checked against ONNX Runtime) into the run
    /// folder once, so a resumed run reads the same file. A model with its own preprocessing graph is better converted
    /// with 'weights import --preprocess' first.
    /// </summary>
    private static string? ImportOnnxPretrained(string? pretrained, string architecture, string runFolder)
    {
        if (pretrained is null || !ImagePredictors.IsOnnx(pretrained)) return pretrained;
        var imported = Path.Combine(runFolder, Path.GetFileNameWithoutExtension(pretrained) + ".imported.safetensors");
        if (!File.Exists(imported))
        {
            Directory.CreateDirectory(runFolder);
            var result = OnnxWeightsImporter.ImportToFile(pretrained, architecture, imported);
            Console.WriteLine($"Imported {pretrained} onto {architecture}: {result.Convolutions} convolutions, {result.Dense} dense layers; ONNX Runtime check: {result.Verification}");
        }
        return imported;
    }

}
