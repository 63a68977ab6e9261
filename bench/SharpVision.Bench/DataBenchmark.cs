using System.Diagnostics;
using System.Globalization;
using SharpVision.Data;
using SharpVision.Engine;
using SharpVision.Imaging;

namespace SharpVision.Bench;

/// <summary>
/// `data` benchmark: folder of JPEGs → decode → resize → random horizontal flip (tensor ops) → uint8 batches.
/// Prints one "RESULT key value" line per figure for bench/data.sh.
/// </summary>
public static class DataBenchmark
{
    /// <summary>Runs the benchmark: data &lt;folder&gt; [--size 128] [--batch 64] [--epochs 2] [--workers N] [--torch-threads 1].</summary>
    public static int Run(string[] args)
    {
        if (args.Length == 0)
        {
            Console.Error.WriteLine("usage: SharpVision.Bench data <image-folder> [--size 128] [--batch 64] [--epochs 2] [--workers N]");
            return 2;
        }
        var folder = args[0];
        int Option(string name, int fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
        }
        var size = Option("--size", 128);
        var batchSize = Option("--batch", 64);
        var epochs = Option("--epochs", 2);
        var workers = Option("--workers", Environment.ProcessorCount);
        // The flip runs on the consumer thread like a training step's augmentation; one intra-op thread matches the
        // PyTorch main process and keeps OpenMP from spinning on the cores the decode workers need.
        Torch.NumThreads = Option("--torch-threads", 1);

        var sw = Stopwatch.StartNew();
        var dataset = ImageFolderDataset.Open(folder);
        var openSeconds = sw.Elapsed.TotalSeconds;
        Console.WriteLine($"opened {dataset.Count} images in {dataset.ClassNames.Count} classes ({dataset.Skipped.Count} skipped) in {openSeconds:F2} s (header check of every file)");
        Report("open_seconds", openSeconds);

        var preprocessor = new ImagePreprocessor(size, size);
        using var generator = new Generator(1);

        var cold = new DataLoader(dataset, preprocessor, new DataLoaderOptions { BatchSize = batchSize, Seed = 1, Workers = workers });
        var coldRates = new List<double>();
        for (var e = 0; e < epochs; e++)
        {
            cold.SetEpoch(e);
            coldRates.Add(Epoch(cold, generator));
        }
        var coldBest = coldRates.Max();
        Console.WriteLine($"C# cold (decode+resize+flip every epoch): {string.Join(", ", coldRates.Select(r => r.ToString("F0", CultureInfo.InvariantCulture)))} images/s");
        Report("csharp_cold", coldBest);

        var cached = new DataLoader(dataset, preprocessor, new DataLoaderOptions { BatchSize = batchSize, Seed = 1, Workers = workers, CacheImages = true });
        var fill = Epoch(cached, generator);
        var cachedRates = new List<double>();
        for (var e = 1; e <= epochs; e++)
        {
            cached.SetEpoch(e);
            cachedRates.Add(Epoch(cached, generator));
        }
        Console.WriteLine($"C# cached (first epoch fills the cache at {fill:F0} images/s): {string.Join(", ", cachedRates.Select(r => r.ToString("F0", CultureInfo.InvariantCulture)))} images/s");
        Report("csharp_cached", cachedRates.Max());

        CompareResizers(dataset, size);
        return 0;
    }

    /// <summary>One epoch; returns images per second. The flip is what a training step's augmentation would do.</summary>
    private static double Epoch(DataLoader loader, Generator generator)
    {
        var sw = Stopwatch.StartNew();
        long images = 0;
        foreach (var batch in loader)
        {
            using (batch)
            using (Torch.NewDisposeScope())
            {
                var n = batch.Count;
                // Random horizontal flip as the library's Augmenter does it: only the chosen images are flipped and
                // copied back (index_select → flip → index_copy).
                var chosen = Tensor.Rand(new long[] { n }, generator).Lt(0.5).Nonzero().Flatten();
                var augmented = batch.Inputs.IndexCopy(0, chosen, batch.Inputs.IndexSelect(0, chosen).Flip(3));
                _ = augmented.Shape; // materialised
                images += n;
            }
        }
        return images / sw.Elapsed.TotalSeconds;
    }

    /// <summary>Per-image resize cost: the C# resampler vs libtorch's antialiased bilinear on a float tensor.</summary>
    private static void CompareResizers(ImageDataset dataset, int size)
    {
        var images = Enumerable.Range(0, Math.Min(500, dataset.Count)).Select(dataset.Load).ToArray();
        for (var warm = 0; warm < 2; warm++)
        {
            foreach (var img in images.Take(20)) { ImageResizer.Resize(img, size, size); TorchResize(img, size).Dispose(); }
        }
        var sw = Stopwatch.StartNew();
        foreach (var img in images) ImageResizer.Resize(img, size, size);
        var csharp = sw.Elapsed.TotalMilliseconds * 1000 / images.Length;
        sw.Restart();
        foreach (var img in images) TorchResize(img, size).Dispose();
        var torch = sw.Elapsed.TotalMilliseconds * 1000 / images.Length;
        Console.WriteLine($"resize {images[0].Width}×{images[0].Height} → {size}×{size}, one image, one thread: C# resampler {csharp:F0} µs, " +
                          $"Functional.Interpolate(BilinearAntialias) incl. u8↔float {torch:F0} µs");
        Report("resize_csharp_us", csharp);
        Report("resize_torch_us", torch);
    }

    private static Tensor TorchResize(RgbImage img, int size)
    {
        using var scope = Torch.NewDisposeScope();
        var x = Tensor.FromImageBytes(img.Pixels, 1, img.Height, img.Width, img.Channels).To(DType.Float32);
        var y = Functional.Interpolate(x, (size, size), InterpolationMode.BilinearAntialias).Round().Clamp(0, 255).To(DType.UInt8);
        return y.MoveToOuterDisposeScope();
    }

    private static void Report(string key, double value) =>
        Console.WriteLine(FormattableString.Invariant($"RESULT {key} {value:F1}"));
}
