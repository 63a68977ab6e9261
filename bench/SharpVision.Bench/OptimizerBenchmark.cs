using System.Diagnostics;
using System.Globalization;
using SharpVision.Engine;
using SharpVision.Layers;
using SharpVision.Models;
using SharpVision.Training.Optimizers;

namespace SharpVision.Bench;

/// <summary>
/// `optimizer`: the time of one Adam step over a zoo model's parameters, fused (<see cref="FusedOptimizers.AdamStep"/>,
/// what <see cref="Adam"/> does) against op by op (<see cref="Adam.Update"/> per parameter, torch.optim.Adam's
/// single-tensor path), alternating, on gradients of ones. Prints the median of --rounds rounds of --steps steps each.
/// Usage: optimizer [--model mobilenet_v2] [--input 64] [--classes 5] [--threads 1] [--steps 20] [--rounds 5]
/// </summary>
public static class OptimizerBenchmark
{
    /// <summary>Adam stepping each parameter op by op: the reference the fused step replaces.</summary>
    private sealed class OpByOpAdam(Module model) : Adam(model)
    {
        protected override void UpdateGroup(IReadOnlyList<ParameterUpdate> updates, double lr, double weightDecay)
        {
            foreach (var u in updates)
            {
                using var scope = Torch.NewDisposeScope();
                Update(u.Parameter, u.Gradient, u.State, u.Step, lr, weightDecay);
            }
        }
    }

    /// <summary>Runs the benchmark.</summary>
    public static int Run(string[] args)
    {
        string model = "mobilenet_v2";
        int input = 64, classes = 5, threads = 1, steps = 20, rounds = 5;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var v = args[i + 1];
            switch (args[i])
            {
                case "--model": model = v; break;
                case "--input": input = int.Parse(v, CultureInfo.InvariantCulture); break;
                case "--classes": classes = int.Parse(v, CultureInfo.InvariantCulture); break;
                case "--threads": threads = int.Parse(v, CultureInfo.InvariantCulture); break;
                case "--steps": steps = int.Parse(v, CultureInfo.InvariantCulture); break;
                case "--rounds": rounds = int.Parse(v, CultureInfo.InvariantCulture); break;
                default: Console.Error.WriteLine($"optimizer: unknown option {args[i]}"); return 2;
            }
        }
        Torch.NumThreads = threads;
        using var net = ModelZoo.Create(model, new ModelOptions { NumClasses = classes, InputHeight = input, InputWidth = input });
        foreach (var p in net.Parameters())
        {
            using var g = p.Value.OnesLike();
            p.Value.SetGrad(g);
        }
        var count = net.Parameters().Sum(p => p.Value.NumberOfElements);
        using var fused = new Adam(net);
        using var opByOp = new OpByOpAdam(net);
        double Time(Optimizer o)
        {
            var sw = Stopwatch.StartNew();
            for (var s = 0; s < steps; s++) o.Step();
            return sw.Elapsed.TotalMilliseconds / steps;
        }
        Time(fused);
        Time(opByOp);
        var f = new List<double>();
        var r = new List<double>();
        for (var k = 0; k < rounds; k++)
        {
            f.Add(Time(fused));
            r.Add(Time(opByOp));
        }
        static double Median(List<double> xs) => xs.Order().ElementAt(xs.Count / 2);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT model={model} parameters={count} threads={threads} fused_ms={Median(f):0.00} op_by_op_ms={Median(r):0.00} speedup={Median(r) / Median(f):0.0}"));
        return 0;
    }
}
