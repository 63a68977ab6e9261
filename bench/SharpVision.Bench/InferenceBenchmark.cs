using System.Diagnostics;
using System.Globalization;
using SharpVision.Data;
using SharpVision.Engine;
using SharpVision.Layers;
using SharpVision.Models;
using SharpVision.Onnx;

namespace SharpVision.Bench;

/// <summary>
/// Inference latency of one zoo model (seeded random weights, eval mode): batch-1 latency (median and p99 over
/// --runs forward passes) and batch-16 throughput, on libtorch (--engine torch) or ONNX Runtime (--engine ort, the
/// model exported by OnnxExporter). Prints one RESULT line for bench/inference.sh.
/// </summary>
public static class InferenceBenchmark
{
    public static int Run(string[] args)
    {
        string model = "resnet18", engine = "torch";
        int size = 224, threads = 1, runs = 200, batchRuns = 10, classes = 1000;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var v = args[i + 1];
            switch (args[i])
            {
                case "--model": model = v; break;
                case "--engine": engine = v; break;
                case "--size": size = int.Parse(v, CultureInfo.InvariantCulture); break;
                case "--threads": threads = int.Parse(v, CultureInfo.InvariantCulture); break;
                case "--runs": runs = int.Parse(v, CultureInfo.InvariantCulture); break;
                case "--batch-runs": batchRuns = int.Parse(v, CultureInfo.InvariantCulture); break;
                case "--classes": classes = int.Parse(v, CultureInfo.InvariantCulture); break;
                default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
            }
        }
        using var net = Create(model, size, classes);
        var multAdds = ModelSummary.Create(net, 3, size, size).TotalMultAdds;
        Func<float[], int, float[]> forward;
        OnnxSession? session = null;
        string? temp = null;
        if (engine == "ort")
        {
            temp = Path.Combine(Path.GetTempPath(), $"sv-bench-{Guid.NewGuid():N}.onnx");
            Export(net, model, size, classes, temp);
            var opened = session = OnnxSession.Open(temp, threads);
            forward = (x, n) => opened.Run(x, n, 3, size, size).Scores;
        }
        else
        {
            Torch.NumThreads = threads;
            forward = (x, n) =>
            {
                using var scope = Torch.NewDisposeScope();
                using var noGrad = Torch.NoGrad();
                var t = Tensor.FromArray(x, n, 3, size, size);
                return net.Call(t).ToArray<float>();
            };
        }
        try
        {
            var rng = new Random(1);
            float[] Input(int n) => Enumerable.Range(0, n * 3 * size * size).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
            var one = Input(1);
            var sixteen = Input(16);
            for (var i = 0; i < 10; i++) forward(one, 1);
            var times = new double[runs];
            for (var i = 0; i < runs; i++)
            {
                var sw = Stopwatch.StartNew();
                forward(one, 1);
                times[i] = sw.Elapsed.TotalMilliseconds;
            }
            Array.Sort(times);
            forward(sixteen, 16);
            var batchTimes = new double[batchRuns];
            for (var i = 0; i < batchRuns; i++)
            {
                var sw = Stopwatch.StartNew();
                forward(sixteen, 16);
                batchTimes[i] = sw.Elapsed.TotalSeconds;
            }
            Array.Sort(batchTimes);
            var median = times[runs / 2];
            var p99 = times[Math.Min(runs - 1, (int)Math.Ceiling(runs * 0.99) - 1)];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"RESULT engine=sv-{engine} model={model} size={size} threads={threads} b1_median_ms={median:0.00} b1_p99_ms={p99:0.00} b16_img_s={16 / batchTimes[batchRuns / 2]:0.0} macs={multAdds}"));
            return 0;
        }
        finally
        {
            session?.Dispose();
            if (temp is not null) File.Delete(temp);
        }
    }

    /// <summary>The benchmarked zoo model: seeded (0) random weights, eval mode.</summary>
    internal static Module Create(string model, int size, int classes)
    {
        Torch.ManualSeed(0);
        var net = ModelZoo.Create(model, new ModelOptions { NumClasses = classes, InputHeight = size, InputWidth = size });
        net.Eval();
        return net;
    }

    /// <summary>Exports <paramref name="net"/> as SharpVision's exporter does for a trained model of that architecture.</summary>
    internal static void Export(Module net, string model, int size, int classes, string path)
    {
        var descriptor = new ModelDescriptor
        {
            Architecture = model, Options = new ModelOptions { NumClasses = classes }, ClassNames = Enumerable.Range(0, classes).Select(i => $"c{i}").ToArray(),
            InputHeight = size, InputWidth = size, Normalization = Normalization.ImageNet,
        };
        OnnxExporter.Export(net, descriptor, path);
    }
}
