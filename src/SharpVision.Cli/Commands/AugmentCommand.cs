using System.CommandLine;
using SharpVision.Augmentation;
using SharpVision.Data;
using SharpVision.Imaging;
using SharpVision.Reports;

namespace SharpVision.Cli.Commands;

/// <summary><c>sharpvision augment --data DIR --augment SPEC --out grid.png</c>: one image in 9 random variants plus the original.</summary>
public static class AugmentCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "A dataset folder (its first image is used) or one image file", Required = true };
        var spec = new Option<string>("--augment") { Description = $"Augmentation spec or preset ({string.Join(", ", AugmentationSpec.PresetNames)}); keys: {string.Join(", ", AugmentationSpec.ValidKeys)}", Required = true };
        var output = new Option<string>("--out") { Description = "PNG file to write", DefaultValueFactory = _ => "augment-preview.png" };
        var index = new Option<int>("--index") { Description = "Which image of the dataset to show", DefaultValueFactory = _ => 0 };
        var size = new Option<int>("--size") { Description = "Resize the image to this size first (0 = keep)", DefaultValueFactory = _ => 0 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the random variants", DefaultValueFactory = _ => 0UL };
        var cmd = new Command("augment", "Preview an augmentation: a PNG of the original, each transform alone and random variants with all of them, captioned, tiles of at least 128 px.");
        foreach (var o in new Option[] { data, spec, output, index, size, seed }) cmd.Options.Add(o);
        cmd.SetAction(parse => CliErrors.Run(() =>
        {
            var augmentation = AugmentationSpec.Parse(parse.GetValue(spec)!);
            var source = parse.GetValue(data)!;
            RgbImage image;
            string what;
            if (File.Exists(source))
            {
                image = ImageDecoder.DecodeFile(source);
                what = source;
            }
            else
            {
                var dataset = DatasetOpener.Open(source);
                var i = parse.GetValue(index);
                if (i < 0 || i >= dataset.Count) throw new ArgumentException($"--index {i} is outside the dataset's {dataset.Count} images");
                image = dataset.Load(i);
                what = $"{dataset.Name(i)} ({dataset.ClassNames[dataset.Label(i)]})";
            }
            var s = parse.GetValue(size);
            if (s > 0) image = new ImagePreprocessor(s, s).Process(image);
            var figure = AugmentationFigure.Render(image, augmentation, parse.GetValue(seed));
            var path = parse.GetValue(output)!;
            PngEncoder.Save(figure, path);
            Console.WriteLine($"{what}: the original, each transform of '{augmentation}' alone and variants with all of them, captioned, written to {path}");
            return 0;
        }));
        return cmd;
    }
}
