using System.CommandLine;
using SharpVision.Engine;

namespace SharpVision.Cli;

/// <summary>The --device option of every verb that runs a model: one definition, one check (before any data or model loads).</summary>
internal static class DeviceOption
{
    /// <summary>Creates the option (default cpu).</summary>
    public static Option<string> Create() => new("--device") { Description = "cpu | cuda | cuda:N", DefaultValueFactory = _ => "cpu" };

    /// <summary>Parses the value; a CUDA device on a CPU-only libtorch is refused with one line, not libtorch's dispatcher text.</summary>
    public static Device Parse(string text)
    {
        Device device;
        try
        {
            device = Device.Parse(text);
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            throw new ArgumentException($"--device must be cpu, cuda or cuda:N, got '{text}'");
        }
        if (device.IsCuda && !Cuda.IsAvailable)
            throw new ArgumentException($"--device {text}: CUDA is not available in this libtorch build (Debian's is CPU-only); use --device cpu");
        return device;
    }
}
