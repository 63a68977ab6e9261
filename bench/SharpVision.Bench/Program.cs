namespace SharpVision.Bench;

/// <summary>Benchmark harness entry point (verbs are added per benchmark).</summary>
public static class Program
{
    /// <summary>Runs a benchmark by name.</summary>
    public static int Main(string[] args)
    {
        switch (args.FirstOrDefault())
        {
            case "data":
                return DataBenchmark.Run(args[1..]);
            case "engine":
                return Engine.EngineBenchmark.Run(args[1..]);
            case "serve":
                return Serve.ServeBench.Run(args[1..]);
            case "inference":
                return InferenceBenchmark.Run(args[1..]);
            case "optimizer":
                return OptimizerBenchmark.Run(args[1..]);
            case "onnx":
                return OnnxFileBenchmark.Run(args[1..]);
            case "peak":
                return FmaPeakBenchmark.Run(args[1..]);
            default:
                Console.Error.WriteLine("usage: SharpVision.Bench <benchmark> [options]   (benchmarks: data, engine, inference, onnx, optimizer, peak, serve; transfer learning runs are `sharpvision train --fine-tune`)");
                return 2;
        }
    }
}
