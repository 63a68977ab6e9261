using SharpVision;
using SharpVision.Augmentation;
using SharpVision.Training.Optimizers;
using SharpVision.Training.Schedules;

// Train a café classifier from a folder of photos (one sub-folder per class): dotnet run -- PHOTOS OUT [EPOCHS]
var learner = Learner.FromFolder(args[0], new LearnerOptions
{
    Model = "cafe-cnn", ImageSize = 64, ValidationSplit = 0.2, Seed = 42, OutputDirectory = args[1],
    Optimizer = OptimizerKind.AdamW, LearningRate = 3e-3, Schedule = new OneCycleSchedule(),
    Augmentation = AugmentationSpec.Parse("flip=h,rotate=15,zoom=0.15"),
});
var result = learner.Fit(epochs: args.Length > 2 ? int.Parse(args[2]) : 10);
Console.WriteLine($"best validation accuracy {result.Best:P1} (epoch {result.BestEpoch}): {result.BestModelPath}");
var photo = Directory.EnumerateFiles(args[0], "*", SearchOption.AllDirectories).Order().First();
Console.WriteLine($"{Path.GetFileName(photo)} looks like {learner.Predict(photo)[0].ClassName}");
