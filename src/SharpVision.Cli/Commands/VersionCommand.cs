using System.CommandLine;
using SharpVision.Engine;

namespace SharpVision.Cli.Commands;

/// <summary><c>sharpvision version</c>: versions of SharpVision, libtorch and the runtime, threads and devices.</summary>
public static class VersionCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var cmd = new Command("version", "Print versions, thread count and available devices.");
        cmd.SetAction(_ =>
        {
            Console.WriteLine($"SharpVision {typeof(VersionCommand).Assembly.GetName().Version}");
            Console.WriteLine($"libtorch {Torch.Version}, .NET {Environment.Version}, threads {Torch.NumThreads}");
            Console.WriteLine($"CUDA: {(Cuda.IsAvailable ? $"{Cuda.DeviceCount} device(s)" : "not available")}");
            return 0;
        });
        return cmd;
    }
}
