using System.Diagnostics;
using System.Globalization;
using SharpVision.Engine;

namespace SharpVision.Bench.Engine;

/// <summary>
/// `SharpVision.Bench engine`: times full training steps (forward, cross-entropy, backward, Adam) of the café CNN,
/// ResNet-18 and MobileNetV2 with data already in memory. bench/engine.sh runs it next to bench/engine_torch.py.
/// Options: --model cafe|resnet18|mobilenet_v2|all, --threads N (default: the engine's default, all cores), --batch 32,
/// --warmup 3, --steps 20, --seed 0. Prints one "RESULT ..." line per model.
/// </summary>
public static class EngineBenchmark
{
    /// <summary>Runs the benchmark; returns the process exit code.</summary>
    public static int Run(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                Console.Error.WriteLine($"engine: unexpected argument '{args[i]}' (options: --model --threads --batch --warmup --steps --seed)");
                return 2;
            }
            options[args[i][2..]] = args[++i];
        }
        int Int(string name, int fallback) => options.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        var model = options.GetValueOrDefault("model", "all");
        var batch = Int("batch", 32);
        var warmup = Int("warmup", 3);
        var steps = Int("steps", 20);
        var seed = (ulong)Int("seed", 0);
        if (options.ContainsKey("threads")) Torch.NumThreads = Int("threads", 1);

        var models = model switch
        {
            "all" => new[] { "cafe", "resnet18", "mobilenet_v2" },
            "cafe" or "resnet18" or "mobilenet_v2" => new[] { model },
            _ => throw new ArgumentException($"unknown model '{model}': use cafe, resnet18, mobilenet_v2 or all"),
        };
        Console.Error.WriteLine($"engine: libtorch {Torch.Version}, {Torch.NumThreads} threads, malloc {(Environment.GetEnvironmentVariable("SHARPVISION_MALLOC") == "default" ? "default" : "tuned")}");
        foreach (var m in models) Measure(m, batch, warmup, steps, seed);
        return 0;
    }

    private static void Measure(string model, int batch, int warmup, int steps, ulong seed)
    {
        using var generator = new Generator(seed);
        var size = model switch { "cafe" => 128, "mobilenet_v2" => ZooNet.MobileNetV2Size, _ => 64 };
        using IBenchNet net = model switch
        {
            "cafe" => new CafeCnn(generator),
            "mobilenet_v2" => new ZooNet("mobilenet_v2", size, seed),
            _ => new ResNet18(generator),
        };
        using var adam = new HandAdam(net.Trainable);
        using var x = Tensor.Randn(new long[] { batch, 3, size, size }, generator);
        using var y = Tensor.Randint(0, 5, new long[] { batch }, generator);

        double Step()
        {
            using var scope = Torch.NewDisposeScope();
            adam.ZeroGrad();
            var loss = Functional.CrossEntropy(net.Forward(x), y);
            loss.Backward();
            adam.Step();
            return loss.Item();
        }

        for (var i = 0; i < warmup; i++) Step();
        // Per-step times; the median resists the odd step slowed by other processes on a shared machine.
        var times = new double[steps];
        var total = Stopwatch.StartNew();
        double last = 0;
        for (var i = 0; i < steps; i++)
        {
            var clock = Stopwatch.StartNew();
            last = Step();
            times[i] = clock.Elapsed.TotalSeconds;
        }
        var mean = total.Elapsed.TotalSeconds / steps;
        Array.Sort(times);
        var median = steps % 2 == 1 ? times[steps / 2] : (times[steps / 2 - 1] + times[steps / 2]) / 2;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT engine=sharpvision model={model} params={net.ParameterCount} threads={Torch.NumThreads} batch={batch} steps={steps} ms_per_step={median * 1000:F1} mean_ms_per_step={mean * 1000:F1} images_per_s={batch / median:F2} mean_images_per_s={batch / mean:F2} loss={last:F4}"));
    }
}
