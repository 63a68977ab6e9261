using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using SharpVision.Onnx;

namespace SharpVision.Bench;

/// <summary>
/// <c>onnx</c>: times any one-input ONNX file on ONNX Runtime with the session settings SharpVision uses (all graph
/// optimisations, sequential, --threads intra-op threads), batch 1 at the graph's fixed input shape (symbolic
/// dimensions as 1), on seeded uniform inputs; optionally against a second file on the same input (their median ratio
/// and max |difference|), and with ONNX Runtime's profiler (median kernel time per node, in execution order). The
/// tool behind the per-layer and graph-rewrite figures in docs/benchmarks.md and docs/lab.
/// Usage: onnx (--model A.onnx | --export resnet18 --size 224 --out A.onnx) [--compare B.onnx] [--threads 1] [--runs 200] [--profile]
/// </summary>
public static class OnnxFileBenchmark
{
    /// <summary>Runs the benchmark.</summary>
    public static int Run(string[] args)
    {
        string? model = null, compare = null, export = null, output = null;
        int threads = 1, runs = 200, size = 224;
        var profile = false;
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--model": model = Next(); break;
                case "--compare": compare = Next(); break;
                case "--export": export = Next(); break;
                case "--out": output = Next(); break;
                case "--size": size = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--threads": threads = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--runs": runs = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--profile": profile = true; break;
                default: Console.Error.WriteLine($"onnx: unknown option {args[i]}"); return 2;
            }
        }
        if (export is not null)
        {
            if (output is null) { Console.Error.WriteLine("onnx: --export needs --out FILE.onnx"); return 2; }
            using (var net = InferenceBenchmark.Create(export, size, classes: 1000)) InferenceBenchmark.Export(net, export, size, classes: 1000, output);
            Console.WriteLine($"exported {export} at {size}x{size} (seeded random weights) to {output}");
            model ??= output;
        }
        if (model is null) { Console.Error.WriteLine("onnx: give --model FILE.onnx or --export NAME --out FILE.onnx"); return 2; }

        var (median, first) = Time(model, threads, runs, profile);
        var line = string.Create(CultureInfo.InvariantCulture, $"RESULT model={Path.GetFileName(model)} threads={threads} b1_median_ms={median:0.000}");
        if (compare is not null)
        {
            var (other, second) = Time(compare, threads, runs, profile: false);
            if (first.Length != second.Length) { Console.Error.WriteLine($"onnx: {model} gives {first.Length} outputs, {compare} {second.Length}"); return 1; }
            double diff = 0, largest = 0;
            for (var k = 0; k < first.Length; k++) { diff = Math.Max(diff, Math.Abs(first[k] - second[k])); largest = Math.Max(largest, Math.Abs(second[k])); }
            line += string.Create(CultureInfo.InvariantCulture,
                $" compare={Path.GetFileName(compare)} compare_median_ms={other:0.000} ratio={median / other:0.000} max_abs_diff={diff:0.###e+0} max_abs_output={largest:0.###}");
        }
        Console.WriteLine(line);
        return 0;
    }

    private static (double MedianMs, float[] Output) Time(string path, int threads, int runs, bool profile)
    {
        using var options = OnnxSession.CreateOptions(threads);
        options.EnableProfiling = profile;
        options.ProfileOutputPathPrefix = Path.Combine(Path.GetTempPath(), "sv-onnx-profile");
        using var session = new InferenceSession(path, options);
        var (name, meta) = session.InputMetadata.First();
        var shape = meta.Dimensions.Select(d => (long)Math.Max(d, 1)).ToArray();
        var rng = new Random(1);
        var x = new float[shape.Aggregate(1L, (a, d) => a * d)];
        for (var k = 0; k < x.Length; k++) x[k] = (float)(rng.NextDouble() * 2 - 1);
        using var input = OrtValue.CreateTensorValueFromMemory(x, shape);
        using var runOptions = new RunOptions();
        var outputs = session.OutputNames.Take(1).ToArray();
        float[] first;
        using (var y = session.Run(runOptions, new[] { name }, new[] { input }, outputs)) first = y[0].GetTensorDataAsSpan<float>().ToArray();
        for (var k = 0; k < 10; k++) { using var _ = session.Run(runOptions, new[] { name }, new[] { input }, outputs); }
        var times = new double[runs];
        for (var k = 0; k < runs; k++)
        {
            var sw = Stopwatch.StartNew();
            using var _ = session.Run(runOptions, new[] { name }, new[] { input }, outputs);
            times[k] = sw.Elapsed.TotalMilliseconds;
        }
        Array.Sort(times);
        if (profile)
        {
            var file = session.EndProfiling();
            try { PrintProfile(file); } finally { File.Delete(file); }
        }
        return (times[runs / 2], first);
    }

    /// <summary>Median kernel time per node over the profiled runs (warm-up included, hence the median), in execution order.</summary>
    private static void PrintProfile(string file)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(file));
        var order = new List<string>();
        var times = new Dictionary<string, List<double>>();
        var ops = new Dictionary<string, string>();
        var shapes = new Dictionary<string, string>();
        foreach (var e in json.RootElement.EnumerateArray())
        {
            if (!e.TryGetProperty("cat", out var cat) || cat.GetString() != "Node") continue;
            var full = e.GetProperty("name").GetString() ?? "";
            if (!full.EndsWith("_kernel_time", StringComparison.Ordinal)) continue;
            var node = full[..^"_kernel_time".Length];
            if (!times.TryGetValue(node, out var list)) { times[node] = list = new List<double>(); order.Add(node); }
            list.Add(e.GetProperty("dur").GetDouble() / 1000);
            var args = e.GetProperty("args");
            ops[node] = args.TryGetProperty("op_name", out var op) ? op.GetString() ?? "" : "";
            shapes[node] = args.TryGetProperty("output_type_shape", out var s) ? s.GetRawText() : "";
        }
        double total = 0;
        Console.WriteLine("| node | op | median ms | output |");
        Console.WriteLine("|---|---|---:|---|");
        foreach (var node in order)
        {
            var list = times[node];
            list.Sort();
            var median = list[list.Count / 2];
            total += median;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {node} | {ops[node]} | {median:0.000} | {shapes[node]} |"));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"kernels: {total:0.000} ms per run"));
    }
}
