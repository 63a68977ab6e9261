using SharpVision;
using SharpVision.Augmentation;
using SharpVision.Onnx;
using SharpVision.Training.Optimizers;

// Fine-tune a pretrained backbone on your photos, evaluate it with an HTML report, save it and export it to ONNX:
//   dotnet run -- PHOTOS OUT PRETRAINED   (PRETRAINED: a weights name such as mobilenet_v2, a .safetensors or a PyTorch .pth)
var learner = Learner.FromFolder(args[0], new LearnerOptions
{
    Model = "mobilenet_v2", ImageSize = 64, ValidationSplit = 0.2, Seed = 7, OutputDirectory = args[1],
    Optimizer = OptimizerKind.AdamW, LearningRate = 1e-3, Augmentation = AugmentationSpec.Parse("flip=h"),
});
learner.FineTune(pretrained: args[2], headEpochs: 1, unfrozenEpochs: 1);
var evaluation = learner.Evaluate(reportDirectory: Path.Combine(args[1], "report"));
Console.WriteLine($"held-out accuracy {evaluation.Result.Accuracy:P1} on {evaluation.Result.Count} photos");
learner.Save(Path.Combine(args[1], "cafe.safetensors"));
var parity = learner.ExportOnnx(Path.Combine(args[1], "cafe.onnx"));
Console.WriteLine($"exported {Path.Combine(args[1], "cafe.onnx")}: {parity}");
