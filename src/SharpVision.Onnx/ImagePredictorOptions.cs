using SharpVision.Engine;

namespace SharpVision.Onnx;

/// <summary>How <see cref="ImagePredictors.Load"/> opens a model file.</summary>
public sealed record ImagePredictorOptions
{
    /// <summary>Classes, input size and normalisation for ONNX files without SharpVision metadata.</summary>
    public OnnxOverrides Onnx { get; init; } = new();

    /// <summary>Run a .safetensors model at another input size than it was trained at (FixRes); for ONNX the same as <see cref="OnnxOverrides.Input"/>.</summary>
    public (int Height, int Width)? InputSize { get; init; }

    /// <summary>Intra-op threads (libtorch or ONNX Runtime); null = $SHARPVISION_THREADS or all cores.</summary>
    public int? Threads { get; init; }

    /// <summary>Device of a libtorch model (ONNX Runtime runs on the CPU).</summary>
    public Device? Device { get; init; }
}
