#:project ../../src/SharpVision/SharpVision.csproj
// Builds the non-food picture sets of docs/results.md ("Open-set rejection"): every wallpaper theme of Debian's
// plasma-workspace-wallpapers and gnome-backgrounds (WebP), five square crops each (the centre square and the four
// corner quarters) at 64x64 like the food5 photos, split by theme (light/dark pairs together) into dev/ (choosing a
// method) and test/ (reporting) with a fixed seed; plus fmnist/, the first 300 Fashion-MNIST test images.
// Usage: dotnet run -c Release scripts/openset/nonfood.cs -- OUT_DIR
using SharpVision.Data;
using SharpVision.Imaging;

var root = args.Length == 1 ? args[0] : throw new ArgumentException("usage: nonfood.cs OUT_DIR");
var themes = new List<(string Theme, string[] Files)>();
foreach (var dir in Directory.GetDirectories("/usr/share/wallpapers").Order(StringComparer.Ordinal))
{
    var images = Directory.GetFiles(Path.Combine(dir, "contents/images")).Order(StringComparer.Ordinal).ToArray();
    themes.Add(("plasma-" + Path.GetFileName(dir), [images.FirstOrDefault(f => Path.GetFileNameWithoutExtension(f) == "1920x1080") ?? images[^1]]));
}
foreach (var g in Directory.GetFiles("/usr/share/backgrounds/gnome", "*.webp").GroupBy(f => Path.GetFileNameWithoutExtension(f)[..^2]).OrderBy(g => g.Key, StringComparer.Ordinal))
    themes.Add(("gnome-" + g.Key, g.Order(StringComparer.Ordinal).ToArray()));
var rng = new Random(20);
var plasma = themes.Where(t => t.Theme.StartsWith("plasma", StringComparison.Ordinal)).OrderBy(_ => rng.Next()).ToList();
var gnome = themes.Where(t => t.Theme.StartsWith("gnome", StringComparison.Ordinal)).OrderBy(_ => rng.Next()).ToList();
var dev = plasma.Take(plasma.Count / 2).Concat(gnome.Take(gnome.Count / 2)).Select(t => t.Theme).ToHashSet();
foreach (var (theme, files) in themes)
{
    var half = dev.Contains(theme) ? "dev" : "test";
    var folder = Directory.CreateDirectory(Path.Combine(root, half)).FullName;
    foreach (var f in files)
    {
        var image = ImageDecoder.DecodeFile(f);
        int s = Math.Min(image.Width, image.Height), h = s / 2;
        var boxes = new (double, double, double, double)[]
        {
            ((image.Width - s) / 2.0, (image.Height - s) / 2.0, s, s),
            (0, 0, h, h), (image.Width - h, 0, h, h), (0, image.Height - h, h, h), (image.Width - h, image.Height - h, h, h),
        };
        var name = theme + (files.Length > 1 ? "-" + Path.GetFileNameWithoutExtension(f)[^1..] : "");
        for (var b = 0; b < boxes.Length; b++) PngEncoder.Save(ImageResizer.Resize(image, boxes[b], 64, 64), Path.Combine(folder, $"{name}-{b}.png"));
    }
    Console.WriteLine($"{half,-5} {theme}");
}
var clothes = IdxDataset.OpenFashionMnist(train: false);
var fmnist = Directory.CreateDirectory(Path.Combine(root, "fmnist")).FullName;
for (var i = 0; i < 300; i++) PngEncoder.Save(clothes.Load(i), Path.Combine(fmnist, $"fmnist-{i:D3}.png"));
Console.WriteLine($"fmnist: 300 images; dev {Directory.GetFiles(Path.Combine(root, "dev")).Length}, test {Directory.GetFiles(Path.Combine(root, "test")).Length}");
