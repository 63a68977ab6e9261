namespace SharpVision.Bench;

/// <summary>Benchmark harness entry point (verbs are added per benchmark).</summary>
public static class Program
{
    /// <summary>Runs a benchmark by name.</summary>
    public static int Main(string[] args)
    {
        switch (args.FirstOrDefault())
        {
            case "engine": return Engine.EngineBenchmark.Run(args[1..]);
            default:
                Console.Error.WriteLine("usage: SharpVision.Bench <benchmark> [options]   (benchmarks: engine)");
                return args.Length == 0 ? 2 : 0;
        }
    }
}
