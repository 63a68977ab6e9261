using System.CommandLine;
using System.Globalization;
using SharpVision.Explain;
using SharpVision.Imaging;
using SharpVision.Reports.Charts;

namespace SharpVision.Cli.Commands;

/// <summary>
/// <c>sharpvision explain --model FILE IMAGE [--layer NAME|first|middle|last] [--class NAME] [--filter K] [--out DIR]</c>:
/// writes PNGs that show what the model looks at — feature maps of conv layers, a Grad-CAM heat map over the image,
/// and the pattern one filter responds to most.
/// </summary>
public static class ExplainCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Model file (.safetensors from sharpvision train)", Required = true };
        var image = new Argument<string>("image") { Description = "The photo to explain (JPEG, PNG or WebP)" };
        var layer = new Option<string?>("--layer")
        {
            Description = "Layer to look into: first, middle or last conv layer, a summary name (conv2d_2) or a module path (layer4.1.conv2). " +
                          "Default: feature maps of the first, middle and last conv layers; Grad-CAM and filter on the last",
        };
        var cls = new Option<string?>("--class") { Description = "Class to explain with Grad-CAM (default: the predicted class)" };
        var filter = new Option<int?>("--filter") { Description = "Filter (channel) of the layer to visualise (default: the most active one for this image)" };
        var output = new Option<string?>("--out") { Description = "Output folder (default: ./explain-<image name>)" };
        var steps = new Option<int>("--steps") { Description = "Gradient-ascent steps of the filter visualisation", DefaultValueFactory = _ => 30 };
        var seed = new Option<long>("--seed") { Description = "Seed of the filter visualisation", DefaultValueFactory = _ => 0 };
        var maxChannels = new Option<int>("--max-channels") { Description = "Most feature maps drawn per layer", DefaultValueFactory = _ => 64 };
        var device = DeviceOption.Create();

        var cmd = new Command("explain", "Show what a model looks at: feature maps, Grad-CAM heat map and filter patterns as PNG files.");
        cmd.Options.Add(model);
        cmd.Arguments.Add(image);
        foreach (var o in new Option[] { layer, cls, filter, output, steps, seed, maxChannels, device }) cmd.Options.Add(o);
        cmd.SetAction(parse => Run(new Settings(parse.GetValue(model) ?? "", parse.GetValue(image) ?? "", parse.GetValue(layer), parse.GetValue(cls),
            parse.GetValue(filter), parse.GetValue(output), parse.GetValue(steps), parse.GetValue(seed), parse.GetValue(maxChannels))
        { Device = parse.GetValue(device) ?? "cpu" }, Console.Out, Console.Error));
        return cmd;
    }

    /// <summary>The parsed options.</summary>
    internal sealed record Settings(string Model, string Image, string? Layer, string? Class, int? Filter, string? Out, int Steps, long Seed, int MaxChannels)
    {
        /// <summary>--device.</summary>
        public string Device { get; init; } = "cpu";
    }

    /// <summary>Writes the explanation PNGs; returns the exit code (0 ok, 2 bad input, 1 other failure).</summary>
    internal static int Run(Settings s, TextWriter stdout, TextWriter stderr)
    {
        try
        {
            var device = DeviceOption.Parse(s.Device);
            if (s.Steps is < 1 or > 10_000) throw new ArgumentException($"--steps must be in 1..10000, got {s.Steps}");
            if (s.MaxChannels < 1) throw new ArgumentException($"--max-channels must be at least 1, got {s.MaxChannels}");
            if (s.Filter is < 0) throw new ArgumentException($"--filter must be a channel index ≥ 0, got {s.Filter}");
            if (!File.Exists(s.Image)) throw new ArgumentException($"image not found: {s.Image}");
            using var classifier = EvaluateCommand.LoadModel(s.Model, device: device);
            var photo = ImageDecoder.DecodeFile(s.Image);
            var explainer = new ImageExplainer(classifier);
            var catalog = explainer.Layers;
            var target = catalog.Resolve(s.Layer ?? "last");
            if (s.Class is { } c) explainer.ClassIndex(c); // fail on a bad class before writing anything

            var dir = s.Out ?? DefaultOutputFolder(s.Image);
            Directory.CreateDirectory(dir);
            var written = new List<string>();
            void Save(string name, RgbImage picture)
            {
                var path = Path.Combine(dir, name);
                PngEncoder.Save(picture, path);
                written.Add(path);
            }

            var top = classifier.Predict(new[] { photo }, k: 3)[0];
            stdout.WriteLine($"{s.Image}: " + string.Join(", ", top.Select(p => Inv($"{p.ClassName} {p.Probability * 100:F1}%"))));

            Save("input.png", explainer.View(photo));

            // (a) feature maps: the lecture's first / middle / last conv figure, or the chosen layer.
            var featureLayers = s.Layer is null
                ? LayerCatalog.Roles.Select(r => (Role: r, Layer: catalog.ForRole(r))).GroupBy(p => p.Layer.Path)
                    .Select(g => (File: "feature_maps_" + string.Join("_", g.Select(p => p.Role)), g.First().Layer)).ToList() // e.g. middle_last with 2 convs
                : [(File: "feature_maps_" + SafeName(target.Path), Layer: target)];
            FeatureMapCapture? targetMaps = null;
            foreach (var (file, l) in featureLayers)
            {
                var maps = explainer.FeatureMaps(photo, l.Path);
                if (l.Path == target.Path) targetMaps = maps;
                var title = $"{l.Label}: {maps.TilesShown(s.MaxChannels)} of {maps.Channels} channels, {maps.Height}×{maps.Width}";
                Save(file + ".png", maps.Render(s.MaxChannels, title: title));
            }

            // (b) Grad-CAM for the predicted or chosen class.
            // By default at the last block's activated output, not its raw conv (which gives an empty map before BatchNorm + ReLU).
            var camLayer = s.Layer is null ? catalog.GradCamLayer() : target;
            var cam = explainer.GradCam(photo, camLayer.Path, s.Class);
            var className = classifier.ClassNames[cam.ClassIndex];
            Save($"gradcam_{SafeName(className)}.png", explainer.GradCamFigure(photo, cam, $"Grad-CAM for '{className}' at {camLayer.Label}"));
            stdout.WriteLine(Inv($"Grad-CAM at {camLayer.Label} for '{className}' (p = {cam.Probabilities[cam.ClassIndex]:F3}), {cam.Heat.GetLength(0)}×{cam.Heat.GetLength(1)} map"));
            if (cam.Heat.Cast<float>().All(v => !(v > 0)))
                stderr.WriteLine($"warning: the Grad-CAM map at {camLayer.Label} is empty (nothing there speaks for '{className}'); try another layer with --layer, e.g. {catalog.ForRole("middle").Label}");

            // (c) the pattern the chosen (or most active) filter of the layer responds to.
            targetMaps ??= explainer.FeatureMaps(photo, target.Path);
            var channel = s.Filter ?? ArgMax(targetMaps.ChannelMeans());
            if (channel >= targetMaps.Channels)
                throw new ArgumentException($"--filter {channel} is out of range: layer {target.Label} has {targetMaps.Channels} channels (0..{targetMaps.Channels - 1})");
            var pattern = explainer.Filter(target.Path, channel, new FilterVisualizationOptions { Steps = s.Steps, Seed = s.Seed });
            var shown = pattern.Image;
            if (Math.Max(shown.Width, shown.Height) < 256)
            {
                var scale = 256.0 / Math.Max(shown.Width, shown.Height);
                shown = ImageOps.Resize(shown, (int)Math.Round(shown.Width * scale), (int)Math.Round(shown.Height * scale));
            }
            Save($"filter_{SafeName(target.Path)}_{channel}.png", shown);
            stdout.WriteLine(Inv($"filter {channel} of {target.Label}: mean activation {pattern.InitialActivation:G4} → {pattern.FinalActivation:G4} after {s.Steps} steps"));

            foreach (var w in written) stdout.WriteLine($"wrote {w}");
            return 0;
        }
        catch (Exception e) when (e is ArgumentException or FileNotFoundException or InvalidDataException or InvalidImageException or FormatException)
        {
            stderr.WriteLine($"error: {e.Message}");
            return 2;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or Engine.TorchException)
        {
            stderr.WriteLine($"error: {e.Message}");
            return 1;
        }
    }

    /// <summary>./explain-&lt;image name without extension&gt; in the current folder.</summary>
    internal static string DefaultOutputFolder(string image) =>
        Path.Combine(Directory.GetCurrentDirectory(), "explain-" + Path.GetFileNameWithoutExtension(image));

    private static int ArgMax(double[] values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
            if (values[i] > values[best]) best = i;
        return best;
    }

    private static string SafeName(string text)
    {
        var invalid = Path.GetInvalidFileNameChars().Concat(new[] { '/', '\\', ' ' }).ToHashSet();
        var safe = new string(text.Select(ch => invalid.Contains(ch) ? '_' : ch).ToArray());
        return safe.Length == 0 ? "layer" : safe;
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
