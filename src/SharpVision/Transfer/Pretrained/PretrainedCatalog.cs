namespace SharpVision.Transfer.Pretrained;

/// <summary>
/// The pretrained weights SharpVision knows by name (torchvision's ImageNet-1k V1 weights for the zoo's
/// torchvision architectures), and where they are looked for on disk.
/// </summary>
public static class PretrainedCatalog
{
    /// <summary>Environment variable naming the weights folder (checked first).</summary>
    public const string WeightsFolderVariable = "SHARPVISION_WEIGHTS";

    private static readonly PretrainedEntry[] Known =
    {
        new("mobilenet_v2", "mobilenet_v2", new Uri("https://download.pytorch.org/models/mobilenet_v2-b0353104.pth"), "mobilenet_v2_imagenet.safetensors", 224, 256),
        new("resnet18", "resnet18", new Uri("https://download.pytorch.org/models/resnet18-f37072fd.pth"), "resnet18_imagenet.safetensors", 224, 256),
        new("resnet34", "resnet34", new Uri("https://download.pytorch.org/models/resnet34-b627a593.pth"), "resnet34_imagenet.safetensors", 224, 256),
        new("resnet50", "resnet50", new Uri("https://download.pytorch.org/models/resnet50-0676ba61.pth"), "resnet50_imagenet.safetensors", 224, 256),
        new("vgg16", "vgg16", new Uri("https://download.pytorch.org/models/vgg16-397923af.pth"), "vgg16_imagenet.safetensors", 224, 256),
        new("vgg19", "vgg19", new Uri("https://download.pytorch.org/models/vgg19-dcbb9e9d.pth"), "vgg19_imagenet.safetensors", 224, 256),
        new("inception_v3", "inception_v3", new Uri("https://download.pytorch.org/models/inception_v3_google-0cc3c7bd.pth"), "inception_v3_imagenet.safetensors", 299, 342),
    };

    /// <summary>Every known entry, in a stable order.</summary>
    public static IReadOnlyList<PretrainedEntry> Entries => Known;

    /// <summary>The entry called <paramref name="name"/> (case-insensitive), or null.</summary>
    public static PretrainedEntry? Find(string name) =>
        Known.FirstOrDefault(e => string.Equals(e.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>The entry called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">Unknown name; the message lists the known ones.</exception>
    public static PretrainedEntry Get(string name) => Find(name)
        ?? throw new ArgumentException($"unknown pretrained weights '{name}'; known names: {string.Join(", ", Known.Select(e => e.Name))}", nameof(name));

    /// <summary>
    /// The user's weights folder, where <c>weights fetch</c> stores files: $SHARPVISION_WEIGHTS, else
    /// ~/.cache/sharpvision/weights.
    /// </summary>
    public static string DefaultFolder =>
        Environment.GetEnvironmentVariable(WeightsFolderVariable) is { Length: > 0 } env
            ? env
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "sharpvision", "weights");

    /// <summary>
    /// Folders searched for weights by name, in order: <see cref="DefaultFolder"/>, then <c>$SHARPVISION_SHARED/pretrained</c>
    /// (a team's shared data folder; <c>./run</c> sets it to the checkout's ../shared). Only existing folders are listed.
    /// </summary>
    public static IReadOnlyList<string> SearchFolders()
    {
        var result = new List<string> { DefaultFolder };
        if (Environment.GetEnvironmentVariable("SHARPVISION_SHARED") is { Length: > 0 } shared) result.Add(Path.Combine(shared, "pretrained"));
        return result.Select(Path.GetFullPath).Distinct(StringComparer.Ordinal).Where(Directory.Exists).ToList();
    }
}
