using System.CommandLine;
using System.Globalization;
using SharpVision.Data;
using SharpVision.Evaluation;
using SharpVision.Models;

namespace SharpVision.Cli.Commands;

/// <summary>
/// <c>sharpvision calibrate-unknown --model FILE --data DIR (--val-split F | --val-fold K/N | --val DIR) [--split-seed S]
/// [--target 0.95] [--method auto|max-softmax|energy|mahalanobis|knn] [--neighbours 10] [--shrinkage A] [--unknown DIR] [--out FILE]</c>:
/// fits open-set rejection ("unknown") for a saved model from its own training and validation images and writes it into
/// the model file.
/// </summary>
public static class CalibrateUnknownCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "The model file to calibrate (.safetensors from sharpvision train)", Required = true };
        var data = new Option<string>("--data") { Description = "The data set the model was trained on", Required = true };
        var format = new Option<string>("--format") { Description = $"Data set layout: {DatasetOpener.FormatNames}", DefaultValueFactory = _ => "auto" };
        var valSplit = new Option<double>("--val-split") { Description = "The stratified share of --data that `train --val-split F --seed S` held out", DefaultValueFactory = _ => 0 };
        var valFold = new Option<string?>("--val-fold") { Description = "The fold K/N that `train --val-fold K/N --seed S` held out" };
        var val = new Option<string?>("--val") { Description = "A separate validation folder (as `train --val`)" };
        var splitSeed = new Option<long>("--split-seed") { Description = "The --seed of that training run", DefaultValueFactory = _ => 0 };
        var target = new Option<double>("--target") { Description = "Share of correctly classified validation images that must still be accepted", DefaultValueFactory = _ => 0.95 };
        var method = new Option<string>("--method")
        {
            Description = "auto | max-softmax | energy | mahalanobis | knn (auto: best AUROC on --unknown, else knn when the model exposes features, else energy)",
            DefaultValueFactory = _ => "auto",
        };
        var neighbours = new Option<int>("--neighbours") { Description = "k of the knn score: the k-th nearest training image counts", DefaultValueFactory = _ => NearestNeighbourParameters.DefaultK };
        var shrinkage = new Option<double?>("--shrinkage") { Description = "Covariance shrinkage of the Mahalanobis score, in [0, 1] (default: estimated by Ledoit–Wolf)" };
        var unknown = new Option<string?>("--unknown") { Description = "Optional folder of images of none of the classes, used only to pick the score by AUROC" };
        var output = new Option<string?>("--out") { Description = "Write the calibrated model here instead of replacing --model" };
        var batch = new Option<int>("--batch") { Description = "Images per forward pass", DefaultValueFactory = _ => 64 };
        var cmd = new Command("calibrate-unknown", "Fit open-set rejection (\"I don't recognise this\") for a trained model from its own training and validation images.");
        var device = DeviceOption.Create();
        foreach (var o in new Option[] { model, data, format, valSplit, valFold, val, splitSeed, target, method, neighbours, shrinkage, unknown, output, batch, device }) cmd.Options.Add(o);
        cmd.SetAction(parse => CliErrors.Run(() =>
        {
            var onDevice = DeviceOption.Parse(parse.GetValue(device)!);
            var modelPath = parse.GetValue(model)!;
            if (!File.Exists(modelPath)) throw new FileNotFoundException($"model file not found: {modelPath}", modelPath);
            var kind = UnknownMethodOption.Parse(parse.GetValue(method)!, "--method");
            var options = new UnknownCalibrationOptions
            {
                TargetAcceptance = parse.GetValue(target), Method = kind, Shrinkage = parse.GetValue(shrinkage), Neighbours = parse.GetValue(neighbours),
            };
            options.Validate();
            var dataFormat = DatasetOpener.ParseFormat(parse.GetValue(format)!);
            var dataPath = parse.GetValue(data)!;
            if (!Directory.Exists(dataPath) && !File.Exists(dataPath)) throw new DirectoryNotFoundException($"data folder not found: {dataPath}");
            var full = DatasetOpener.Open(dataPath, dataFormat, "train");
            ImageDataset train = full, validation;
            var seed = parse.GetValue(splitSeed);
            if (parse.GetValue(val) is { } valPath) validation = DatasetOpener.Open(valPath, dataFormat, "test", full.ClassNames);
            else if (parse.GetValue(valFold) is { } foldText) (train, validation) = DatasetSplit.Fold(full, CrossValidationFold.Parse(foldText), seed);
            else if (parse.GetValue(valSplit) is > 0 and < 1 and var fraction) (train, validation) = DatasetSplit.Stratified(full, fraction, seed);
            else throw new ArgumentException("give the validation images the model did not train on: --val-split F, --val-fold K/N or --val DIR");
            var unknownData = parse.GetValue(unknown) is { } unknownPath ? ImageFilesDataset.Open(unknownPath) : null;
            var outPath = parse.GetValue(output);
            UnknownDetector detector;
            try
            {
                detector = UnknownCalibrator.CalibrateModelFile(modelPath, train, validation, options, unknownData, outPath, Math.Max(1, parse.GetValue(batch)), Console.Error.WriteLine, onDevice);
            }
            catch (ClassMismatchException e)
            {
                throw new ArgumentException(e.Message, e);
            }
            Console.WriteLine($"unknown: {detector}; written to {outPath ?? modelPath}");
            foreach (var (k2, t) in detector.Thresholds)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {UnknownScoreNames.Name(k2),-12} threshold {t:0.####}"));
            return 0;
        }));
        return cmd;
    }
}
